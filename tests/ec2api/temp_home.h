// A throwaway $HOME with ~/.aws files for credentials/config tests.
#pragma once

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>

namespace ec2rk::testing {

class TempHome {
 public:
  TempHome() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("ec2rk-home-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_ / ".aws");
  }
  ~TempHome() { std::filesystem::remove_all(path_); }
  TempHome(const TempHome&) = delete;
  TempHome& operator=(const TempHome&) = delete;

  std::string path() const { return path_.string(); }
  // Writes ~/.aws/<name> with mode 0600.
  std::string write(const std::string& name, const std::string& text) {
    auto p = (path_ / ".aws" / name).string();
    std::ofstream(p) << text;
    ::chmod(p.c_str(), 0600);
    return p;
  }

 private:
  std::filesystem::path path_;
};

}  // namespace ec2rk::testing
