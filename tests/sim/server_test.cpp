// The one socket-level unit test: shutdown_connection finds an accepted loopback connection by
// its ports and closes it so the peer reads EOF with no response.
#include "sim/server.h"

#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace ec2rk::sim;

namespace {
int local_port(int fd) {
  sockaddr_in a{};
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  return ntohs(a.sin_port);
}
}  // namespace

TEST_CASE("shutdown_connection closes exactly the connection with the given ports") {
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(listener >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(listen(listener, 4) == 0);
  int server_port = local_port(listener);
  addr.sin_port = htons(static_cast<uint16_t>(server_port));

  int client_a = socket(AF_INET, SOCK_STREAM, 0);
  int client_b = socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(connect(client_a, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(connect(client_b, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  int accepted_a = accept(listener, nullptr, nullptr);
  int accepted_b = accept(listener, nullptr, nullptr);
  REQUIRE(accepted_a >= 0);
  REQUIRE(accepted_b >= 0);

  CHECK(shutdown_connection(server_port, local_port(client_a)));
  char buf[8];
  CHECK(read(client_a, buf, sizeof buf) == 0);  // EOF, no bytes
  // The other connection still works.
  REQUIRE(write(accepted_b, "ok", 2) == 2);
  CHECK(read(client_b, buf, sizeof buf) == 2);
  CHECK_FALSE(shutdown_connection(server_port, 1));

  for (int fd : {client_a, client_b, accepted_a, accepted_b, listener}) close(fd);
}
