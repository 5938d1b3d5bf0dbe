// UTC date formatting for X-Amz-Date and the credential scope, without the C library's
// time zone state (civil-from-days arithmetic, proleptic Gregorian calendar).
#include <cstdio>

#include "sigv4/detail.h"

namespace ec2rk::sigv4 {

namespace {

struct Civil {
  int64_t year;
  unsigned month, day, hour, minute, second;
};

// Howard Hinnant's days_from_civil / civil_from_days.
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

Civil to_civil(int64_t t) {
  int64_t days = t / 86400;
  int64_t secs = t % 86400;
  if (secs < 0) {
    secs += 86400;
    days -= 1;
  }
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400 + (m <= 2);
  return Civil{y,
               m,
               d,
               static_cast<unsigned>(secs / 3600),
               static_cast<unsigned>(secs % 3600 / 60),
               static_cast<unsigned>(secs % 60)};
}

unsigned days_in_month(int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

bool read_digits(std::string_view s, size_t pos, size_t n, unsigned& out) {
  out = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + static_cast<unsigned>(s[i] - '0');
  }
  return true;
}

}  // namespace

std::string amz_date(int64_t unix_time) {
  Civil c = to_civil(unix_time);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04lld%02u%02uT%02u%02u%02uZ", static_cast<long long>(c.year),
                c.month, c.day, c.hour, c.minute, c.second);
  return buf;
}

std::string scope_date(int64_t unix_time) {
  return amz_date(unix_time).substr(0, 8);
}

std::optional<int64_t> parse_amz_date(std::string_view s) {
  // Exactly yyyymmddThhmmssZ: X-Amz-Date has no other accepted form.
  if (s.size() != 16 || s[8] != 'T' || s[15] != 'Z') return std::nullopt;
  unsigned y, mo, d, h, mi, se;
  if (!read_digits(s, 0, 4, y) || !read_digits(s, 4, 2, mo) || !read_digits(s, 6, 2, d) ||
      !read_digits(s, 9, 2, h) || !read_digits(s, 11, 2, mi) || !read_digits(s, 13, 2, se)) {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || se > 59) {
    return std::nullopt;
  }
  return days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
}

}  // namespace ec2rk::sigv4
