// Timestamps from the wire: HTTP Date headers (clock-skew tracking) and ISO 8601
// expirations (IMDS credentials). Pure functions; nullopt for anything malformed.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace ec2rk::ec2api {

// RFC 7231 IMF-fixdate, "Tue, 02 Jan 2025 03:04:05 GMT" -> unix seconds.
std::optional<int64_t> parse_http_date(std::string_view s);

// "2017-05-17T15:09:54Z", with optional fractional seconds and a "Z" or "+HH:MM"/"-HH:MM"
// offset -> unix seconds (UTC).
std::optional<int64_t> parse_iso8601(std::string_view s);

// Days since 1970-01-01 of a proleptic Gregorian date (month 1-12).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d);

}  // namespace ec2rk::ec2api
