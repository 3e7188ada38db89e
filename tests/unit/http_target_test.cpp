// Request-target helpers of the static file server: decoding, query strings, and the file a path
// names, which must never lie outside the web root.
#include "http_target.hpp"

#include <doctest/doctest.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace {

using videochat::local::mime_type;
using videochat::local::parse_query;
using videochat::local::percent_decode;
using videochat::local::split_target;
using videochat::local::static_file_path;

using Query = std::map<std::string, std::string>;
using Path = std::optional<std::string>;

constexpr const char* kRoot = "/srv/site";

}  // namespace

TEST_SUITE("percent_decode") {
  TEST_CASE("escapes of either case decode to their bytes") {
    CHECK(percent_decode("a%20b") == "a b");
    CHECK(percent_decode("%2f%2F") == "//");
    CHECK(percent_decode("J%C3%BCrgen") == "J\xC3\xBCrgen");
    CHECK(percent_decode("plain") == "plain");
  }

  TEST_CASE("an encoded NUL decodes to a NUL byte") {
    CHECK(percent_decode("a%00b") == std::string("a\0b", 3));
  }

  TEST_CASE("a malformed escape gives nothing") {
    CHECK(percent_decode("%G1") == std::nullopt);
    CHECK(percent_decode("%1G") == std::nullopt);
    CHECK(percent_decode("%2") == std::nullopt);
    CHECK(percent_decode("abc%") == std::nullopt);
    // A truncated escape must not read past the view, even when more bytes follow in memory.
    CHECK(percent_decode(std::string_view("%2F", 2)) == std::nullopt);
  }

  TEST_CASE("plus is a space only when asked") {
    CHECK(percent_decode("a+b") == "a+b");
    CHECK(percent_decode("a+b", true) == "a b");
    CHECK(percent_decode("a%2Bb", true) == "a+b");
  }
}

TEST_SUITE("split_target") {
  TEST_CASE("the path and query are split at the first question mark") {
    auto target = split_target("/production?room=1&x=y?z");
    CHECK(target.path == "/production");
    CHECK(target.query == "room=1&x=y?z");
  }

  TEST_CASE("a target without a query has an empty query") {
    auto target = split_target("/a%20b/");
    CHECK(target.path == "/a%20b/");
    CHECK(target.query.empty());
    CHECK(split_target("/x?").query.empty());
  }
}

TEST_SUITE("parse_query") {
  TEST_CASE("names and values are decoded") {
    CHECK(parse_query("room=123&name=J%C3%BCrgen+M") ==
          Query{{"room", "123"}, {"name", "J\xC3\xBCrgen M"}});
  }

  TEST_CASE("the last of repeated names wins") {
    CHECK(parse_query("a=1&a=2&a=3") == Query{{"a", "3"}});
  }

  TEST_CASE("a name without '=' has an empty value") {
    CHECK(parse_query("flag&b=2") == Query{{"flag", ""}, {"b", "2"}});
  }

  TEST_CASE("empty pairs, empty names and malformed escapes are skipped") {
    CHECK(parse_query("&&=x&bad=%G1&ok=1&") == Query{{"ok", "1"}});
    CHECK(parse_query("").empty());
  }
}

TEST_SUITE("static_file_path") {
  TEST_CASE("the root and directories map to index.html") {
    CHECK(static_file_path(kRoot, "/") == Path("/srv/site/index.html"));
    CHECK(static_file_path(kRoot, "/docs/") == Path("/srv/site/docs/index.html"));
    CHECK(static_file_path("/srv/site/", "/") == Path("/srv/site/index.html"));
  }

  TEST_CASE("files, nested or not, are found below the root") {
    CHECK(static_file_path(kRoot, "/index.html") == Path("/srv/site/index.html"));
    CHECK(static_file_path(kRoot, "/assets/js/app.js") == Path("/srv/site/assets/js/app.js"));
    CHECK(static_file_path(kRoot, "/my%20file.txt") == Path("/srv/site/my file.txt"));
    CHECK(static_file_path(kRoot, "/..hidden") == Path("/srv/site/..hidden"));
  }

  TEST_CASE("a '..' segment, plain or encoded, is refused") {
    CHECK(static_file_path(kRoot, "/../etc/passwd") == std::nullopt);
    CHECK(static_file_path(kRoot, "/a/../../etc/passwd") == std::nullopt);
    CHECK(static_file_path(kRoot, "/a/..") == std::nullopt);
    CHECK(static_file_path(kRoot, "/%2e%2e/etc/passwd") == std::nullopt);
    CHECK(static_file_path(kRoot, "/%2E%2E/etc/passwd") == std::nullopt);
  }

  TEST_CASE("NUL and backslash, plain or encoded, are refused") {
    CHECK(static_file_path(kRoot, "/index.html%00.png") == std::nullopt);
    CHECK(static_file_path(kRoot, "/..\\etc\\passwd") == std::nullopt);
    CHECK(static_file_path(kRoot, "/..%5cetc%5cpasswd") == std::nullopt);
  }

  TEST_CASE("a malformed escape or a relative path is refused") {
    CHECK(static_file_path(kRoot, "/%G1.html") == std::nullopt);
    CHECK(static_file_path(kRoot, "index.html") == std::nullopt);
    CHECK(static_file_path(kRoot, "") == std::nullopt);
  }
}

TEST_SUITE("mime_type") {
  TEST_CASE("the client's file types get their Content-Type") {
    CHECK(mime_type("index.html") == "text/html; charset=utf-8");
    CHECK(mime_type("/srv/site/videochat.js") == "text/javascript; charset=utf-8");
    CHECK(mime_type("videochat.wasm") == "application/wasm");
    CHECK(mime_type("style.css") == "text/css; charset=utf-8");
    CHECK(mime_type("logo.png") == "image/png");
    CHECK(mime_type("icon.svg") == "image/svg+xml");
    CHECK(mime_type("config.json") == "application/json");
  }

  TEST_CASE("extensions match whatever their case") {
    CHECK(mime_type("INDEX.HTML") == "text/html; charset=utf-8");
  }

  TEST_CASE("an unknown or missing extension is application/octet-stream") {
    CHECK(mime_type("archive.xyz") == "application/octet-stream");
    CHECK(mime_type("README") == "application/octet-stream");
    CHECK(mime_type("/srv/v1.2/README") == "application/octet-stream");
  }
}
