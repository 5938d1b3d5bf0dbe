#include "ec2api/timefmt.h"

#include <array>
#include <cctype>

namespace ec2rk::ec2api {
namespace {

// Reads exactly `n` digits at s[pos..]; advances pos.
std::optional<int> digits(std::string_view s, size_t& pos, size_t n) {
  if (pos + n > s.size()) return std::nullopt;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    v = v * 10 + (c - '0');
  }
  pos += n;
  return v;
}

bool expect(std::string_view s, size_t& pos, char c) {
  if (pos >= s.size() || s[pos] != c) return false;
  ++pos;
  return true;
}

bool valid_date(int y, int mo, int d, int h, int mi, int sec) {
  static constexpr std::array<int, 12> kDays = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (mo < 1 || mo > 12 || d < 1 || d > kDays[mo - 1]) return false;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (mo == 2 && d == 29 && !leap) return false;
  return h <= 23 && mi <= 59 && sec <= 60;
}

int64_t to_unix(int y, int mo, int d, int h, int mi, int sec) {
  return days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
}

}  // namespace

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  // Howard Hinnant's algorithm.
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

std::optional<int64_t> parse_http_date(std::string_view s) {
  // "Tue, 02 Jan 2025 03:04:05 GMT"
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (s.size() != 29 || s.substr(3, 2) != ", " || s.substr(25) != " GMT") return std::nullopt;
  size_t pos = 5;
  auto d = digits(s, pos, 2);
  if (!d || !expect(s, pos, ' ')) return std::nullopt;
  int mo = 0;
  for (size_t i = 0; i < kMonths.size(); ++i) {
    if (s.substr(pos, 3) == kMonths[i]) mo = static_cast<int>(i) + 1;
  }
  pos += 3;
  if (mo == 0 || !expect(s, pos, ' ')) return std::nullopt;
  auto y = digits(s, pos, 4);
  if (!y || !expect(s, pos, ' ')) return std::nullopt;
  auto h = digits(s, pos, 2);
  if (!h || !expect(s, pos, ':')) return std::nullopt;
  auto mi = digits(s, pos, 2);
  if (!mi || !expect(s, pos, ':')) return std::nullopt;
  auto sec = digits(s, pos, 2);
  if (!sec || !valid_date(*y, mo, *d, *h, *mi, *sec)) return std::nullopt;
  return to_unix(*y, mo, *d, *h, *mi, *sec);
}

std::optional<int64_t> parse_iso8601(std::string_view s) {
  size_t pos = 0;
  auto y = digits(s, pos, 4);
  if (!y || !expect(s, pos, '-')) return std::nullopt;
  auto mo = digits(s, pos, 2);
  if (!mo || !expect(s, pos, '-')) return std::nullopt;
  auto d = digits(s, pos, 2);
  if (!d || !expect(s, pos, 'T')) return std::nullopt;
  auto h = digits(s, pos, 2);
  if (!h || !expect(s, pos, ':')) return std::nullopt;
  auto mi = digits(s, pos, 2);
  if (!mi || !expect(s, pos, ':')) return std::nullopt;
  auto sec = digits(s, pos, 2);
  if (!sec || !valid_date(*y, *mo, *d, *h, *mi, *sec)) return std::nullopt;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    size_t start = pos;
    while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) ++pos;
    if (pos == start) return std::nullopt;
  }
  int64_t t = to_unix(*y, *mo, *d, *h, *mi, *sec);
  if (pos < s.size() && s[pos] == 'Z') return pos + 1 == s.size() ? std::optional(t) : std::nullopt;
  if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int sign = s[pos] == '+' ? 1 : -1;
    ++pos;
    auto oh = digits(s, pos, 2);
    if (!oh || !expect(s, pos, ':')) return std::nullopt;
    auto om = digits(s, pos, 2);
    if (!om || pos != s.size() || *oh > 23 || *om > 59) return std::nullopt;
    return t - sign * (*oh * 3600 + *om * 60);
  }
  return std::nullopt;
}

}  // namespace ec2rk::ec2api
