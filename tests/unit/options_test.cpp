// videochat-local's settings: the defaults, the environment, flags over both, and errors that name
// the offending flag.
#include "options.hpp"
#include "resume_secret.hpp"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include <doctest/doctest.h>

#include <iterator>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace {

using videochat::local::Options;
using videochat::local::parse_options;
using videochat::local::ShowHelp;
using videochat::local::usage;

using Args = std::vector<std::string>;
using Env = std::map<std::string, std::string>;

constexpr const char* kWebRoot = "/opt/videochat/site";

Options parsed(const Args& args, const Env& env = {}) {
  auto result = parse_options(args, env, kWebRoot);
  if (auto* error = std::get_if<std::string>(&result)) FAIL("unexpected error: " << *error);
  REQUIRE(std::holds_alternative<Options>(result));
  return std::get<Options>(result);
}

// The error for these arguments, or an empty string when they were accepted.
std::string error_for(const Args& args, const Env& env = {}) {
  auto result = parse_options(args, env, kWebRoot);
  if (auto* error = std::get_if<std::string>(&result)) return *error;
  return {};
}

bool mentions(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_SUITE("parse_options") {
  TEST_CASE("with no flags and no environment, the defaults apply") {
    Options options = parsed({});
    CHECK(options.host == "127.0.0.1");
    CHECK(options.port == 8080);
    CHECK(options.stage == "production");
    CHECK(options.web_root == kWebRoot);
    CHECK(options.ice_servers == "[]");
    CHECK(options.signaling_url.empty());
    CHECK(options.threads == 0);
    CHECK(options.coalesce_window == std::chrono::microseconds(500));
    CHECK(options.allowed_origins.empty());
    CHECK(options.idle_timeout == std::chrono::seconds(600));
    CHECK(options.max_lifetime == std::chrono::seconds(7200));
    CHECK(options.max_frame_bytes == 32 * 1024);
    CHECK(options.max_message_bytes == 128 * 1024);
    CHECK(options.max_relay_bytes == 64 * 1024);
    CHECK(options.ping_interval == std::chrono::seconds(30));
  }

  TEST_CASE("PORT and ICE_SERVERS from the environment replace the defaults") {
    Options options = parsed({}, {{"PORT", "3000"}, {"ICE_SERVERS", R"([{"urls":"stun:x"}])"}});
    CHECK(options.port == 3000);
    CHECK(options.ice_servers == R"([{"urls":"stun:x"}])");
  }

  TEST_CASE("flags override the environment") {
    Options options = parsed({"--port", "9000", "--ice-servers", "[]"},
                             {{"PORT", "3000"}, {"ICE_SERVERS", R"([{"urls":"stun:x"}])"}});
    CHECK(options.port == 9000);
    CHECK(options.ice_servers == "[]");
  }

  TEST_CASE("every flag sets its option") {
    // clang-format off
    Options options = parsed({
        "--host", "0.0.0.0",
        "--stage", "dev",
        "--web-root", "/tmp/w",
        "--signaling-url", "wss://x.example/dev",
        "--threads", "4",
        "--coalesce-us", "0",
        "--idle-timeout", "60",
        "--max-lifetime", "120",
        "--ping-interval", "5",
        "--max-frame-bytes", "1000",
        "--max-message-bytes", "2000",
        "--max-relay-bytes", "3000"});
    // clang-format on
    CHECK(options.host == "0.0.0.0");
    CHECK(options.stage == "dev");
    CHECK(options.web_root == "/tmp/w");
    CHECK(options.signaling_url == "wss://x.example/dev");
    CHECK(options.threads == 4);
    CHECK(options.coalesce_window == std::chrono::microseconds(0));
    CHECK(options.idle_timeout == std::chrono::seconds(60));
    CHECK(options.max_lifetime == std::chrono::seconds(120));
    CHECK(options.ping_interval == std::chrono::seconds(5));
    CHECK(options.max_frame_bytes == 1000);
    CHECK(options.max_message_bytes == 2000);
    CHECK(options.max_relay_bytes == 3000);
  }

  TEST_CASE("connection limits: the total comes from the descriptor limit unless given") {
    Options defaults = parsed({});
    CHECK_FALSE(defaults.max_connections.has_value());
    CHECK(defaults.max_connections_per_address == 256);
    Options given = parsed({"--max-connections", "5000", "--max-connections-per-address", "0"});
    CHECK(given.max_connections == std::optional<std::size_t>(5000));
    CHECK(given.max_connections_per_address == 0);
  }

  TEST_CASE("message rates: 50 messages and 256 KiB a second unless given; 0 turns them off") {
    Options defaults = parsed({});
    CHECK(defaults.max_messages_per_second == 50);
    CHECK(defaults.max_bytes_per_second == 262144);
    Options given = parsed({"--max-messages-per-second", "0", "--max-bytes-per-second", "1000"});
    CHECK(given.max_messages_per_second == 0);
    CHECK(given.max_bytes_per_second == 1000);
  }

  TEST_CASE("TLS takes a certificate and its key together, and is off without them") {
    CHECK_FALSE(parsed({}).tls());
    Options on = parsed({"--tls-cert", "cert.pem", "--tls-key", "key.pem"});
    CHECK(on.tls());
    CHECK(on.tls_cert_file == "cert.pem");
    CHECK(on.tls_key_file == "key.pem");
    CHECK(error_for({"--tls-cert", "cert.pem"}) == "--tls-cert needs its private key: --tls-key");
    CHECK(error_for({"--tls-key", "key.pem"}) == "--tls-key needs its certificate: --tls-cert");
    CHECK(error_for({"--tls-cert", "", "--tls-key", "key.pem"}) ==
          "--tls-cert takes the path of a PEM certificate chain");
  }

  TEST_CASE("--port 0 asks for any free port") {
    CHECK(parsed({"--port", "0"}).port == 0);
  }

  TEST_CASE("--allowed-origin accumulates across repeats and comma lists") {
    Options options = parsed({"--allowed-origin", "https://a.example,https://b.example",
                              "--allowed-origin", "http://localhost:8080"});
    CHECK(options.allowed_origins == std::vector<std::string>{"https://a.example",
                                                              "https://b.example",
                                                              "http://localhost:8080"});
  }

  TEST_CASE("--help and -h ask for the usage text, wherever they appear") {
    CHECK(std::holds_alternative<ShowHelp>(parse_options({"--help"}, {}, kWebRoot)));
    CHECK(std::holds_alternative<ShowHelp>(parse_options({"-h"}, {}, kWebRoot)));
    CHECK(std::holds_alternative<ShowHelp>(parse_options({"--port", "1", "--help"}, {}, kWebRoot)));
  }

  TEST_CASE("every flag the usage text and the docs list is one that parse_options takes") {
    // Each "--flag VALUE" line of --help must parse (with a plausible value) or be refused only
    // for its value: a listed flag the parser does not know would say "unknown option".
    const std::string text = usage();
    std::size_t at = 0;
    int flags = 0;
    while ((at = text.find("\n  --", at)) != std::string::npos) {
      const std::size_t start = at + 3;
      const std::size_t end = text.find_first_of(" \n", start);
      const std::string flag = text.substr(start, end - start);
      at = end;
      if (flag == "--help") continue;
      ++flags;
      auto parsed = parse_options({flag, "x"}, {}, kWebRoot);
      if (auto* error = std::get_if<std::string>(&parsed)) {
        CAPTURE(flag);
        CHECK(error->find("unknown option") == std::string::npos);
      }
    }
    CHECK(flags == 34);
  }

  TEST_CASE("docs/local-stack.md's options table is the one the flag list makes") {
    std::ifstream doc(std::string(VIDEOCHAT_TEST_DATA) + "/../../docs/local-stack.md");
    REQUIRE(doc.good());
    const std::string text((std::istreambuf_iterator<char>(doc)), std::istreambuf_iterator<char>());
    const std::string table = videochat::local::options_markdown();
    // On failure: paste the expected table (below) over the one in docs/local-stack.md.
    CAPTURE(table);
    CHECK(text.find(table) != std::string::npos);
  }

  TEST_CASE("the usage text documents every flag") {
    for (const char* flag :
         {"--host", "--port", "--stage", "--web-root", "--ice-servers", "--signaling-url",
          "--allowed-origin", "--frame-ancestors", "--threads", "--coalesce-us", "--idle-timeout", "--max-lifetime",
          "--max-frame-bytes",
          "--max-message-bytes", "--max-relay-bytes", "--ping-interval", "--store",
          "--room-capacity", "--management-credentials", "--lambda", "--lambda-max-processes",
          "--lambda-timeout-ms", "--resume-token-lifetime", "--resume-secret-file", "--max-connections",
          "--max-connections-per-address", "--max-messages-per-second", "--max-bytes-per-second",
          "--turn-url", "--turn-secret-file", "--turn-credential-lifetime", "--ice-transport-policy",
          "--help"}) {
      CAPTURE(flag);
      CHECK(mentions(usage(), flag));
    }
  }
}

TEST_SUITE("parse_options: TURN") {
  TEST_CASE("relay URLs from flags (repeated or comma lists) replace the environment's") {
    Options options = parsed({"--turn-url", "turn:a.example.org:3478?transport=udp,turns:a.example.org",
                              "--turn-url", "turn:b.example.org", "--turn-credential-lifetime", "600"},
                             {{"VIDEOCHAT_TURN_URLS", "turn:env.example.org"},
                              {"VIDEOCHAT_TURN_SECRET", "shared"}});
    CHECK(options.turn.urls == std::vector<std::string>{"turn:a.example.org:3478?transport=udp",
                                                        "turns:a.example.org",
                                                        "turn:b.example.org"});
    CHECK(options.turn.secret == "shared");
    CHECK(options.turn.lifetime == std::chrono::seconds(600));
    // A credential may not outlive its connection (2 hours) by more than a few minutes.
    CHECK(error_for({"--turn-credential-lifetime", "7801"}) ==
          "--turn-credential-lifetime is at most 7800 s (just over the 2 hours a connection may "
          "live), not 7801");
    CHECK(parsed({}, {{"VIDEOCHAT_TURN_URLS", "turn:env.example.org"},
                      {"VIDEOCHAT_TURN_SECRET", "shared"}})
              .turn.urls == std::vector<std::string>{"turn:env.example.org"});
    CHECK_FALSE(parsed({}).turn.enabled());
  }

  TEST_CASE("--ice-transport-policy takes all or relay") {
    CHECK_FALSE(parsed({}).relay_only);
    CHECK(parsed({"--ice-transport-policy", "relay"}).relay_only);
    CHECK_FALSE(parsed({"--ice-transport-policy", "all"}).relay_only);
    CHECK(error_for({"--ice-transport-policy", "none"}) ==
          "--ice-transport-policy takes all or relay, not 'none'");
  }

  TEST_CASE("a relay without a secret, a secret without a relay, or a bad URL is refused") {
    CHECK(error_for({"--turn-url", "turn:a"}) ==
          "--turn-url needs the relay's secret: --turn-secret-file or VIDEOCHAT_TURN_SECRET");
    CHECK(error_for({"--turn-secret-file", "/x"}) ==
          "a TURN secret without a relay: give its URLs with --turn-url or VIDEOCHAT_TURN_URLS");
    CHECK(error_for({"--turn-url", "stun:a"}) ==
          "a TURN URL starts with turn: or turns:, not 'stun:a'");
    CHECK(mentions(error_for({}, {{"VIDEOCHAT_TURN_URLS", "http://a"}}), "VIDEOCHAT_TURN_URLS"));
  }

  TEST_CASE("--lambda takes a relay too (its function reads the secret through SSM)") {
    Options options =
        parsed({"--lambda", "f.zip", "--turn-url", "turn:a", "--turn-secret-file", "/x"});
    CHECK(options.turn.urls == std::vector<std::string>{"turn:a"});
    CHECK(options.turn_secret_file == "/x");
    CHECK(error_for({"--lambda", "f.zip", "--turn-url", "turn:a"}) ==
          "--turn-url needs the relay's secret: --turn-secret-file or VIDEOCHAT_TURN_SECRET");
  }
}

TEST_SUITE("parse_options errors") {
  TEST_CASE("connection limits take numbers, and the total is at least one") {
    for (auto args : {std::vector<std::string>{"--max-connections", "0"},
                      std::vector<std::string>{"--max-connections", "many"},
                      std::vector<std::string>{"--max-connections-per-address", "-1"}}) {
      auto parsed = parse_options(args, {}, kWebRoot);
      REQUIRE(std::holds_alternative<std::string>(parsed));
      CHECK(std::get<std::string>(parsed) ==
            args[0] + " takes a number of connections, not '" + args[1] + "'");
    }
  }

  TEST_CASE("--frame-ancestors takes CSP sources, never a second directive") {
    CHECK(mentions(error_for({"--frame-ancestors", "*; script-src *"}, {}),
                   "--frame-ancestors takes CSP sources"));
    CHECK(mentions(error_for({"--frame-ancestors", ""}, {}), "--frame-ancestors"));
  }

  TEST_CASE("a bad PORT is refused naming PORT and the value") {
    std::string error = error_for({}, {{"PORT", "http"}});
    CHECK(mentions(error, "PORT"));
    CHECK(mentions(error, "'http'"));
    CHECK(mentions(error_for({}, {{"PORT", "0"}}), "PORT"));
  }

  TEST_CASE("a bad --port is refused naming --port") {
    for (const char* value : {"65536", "-1", "80x", ""}) {
      CAPTURE(value);
      CHECK(mentions(error_for({"--port", value}), "--port"));
    }
  }

  TEST_CASE("numbers out of range are refused naming the flag") {
    CHECK(mentions(error_for({"--threads", "0"}), "--threads"));
    CHECK(mentions(error_for({"--coalesce-us", "-1"}), "--coalesce-us"));
    CHECK(mentions(error_for({"--coalesce-us", "100001"}), "--coalesce-us"));
    CHECK(mentions(error_for({"--threads", "257"}), "--threads"));
    CHECK(mentions(error_for({"--idle-timeout", "0"}), "--idle-timeout"));
    CHECK(mentions(error_for({"--max-lifetime", "10s"}), "--max-lifetime"));
    CHECK(mentions(error_for({"--ping-interval", "-5"}), "--ping-interval"));
    CHECK(mentions(error_for({"--max-frame-bytes", "0"}), "--max-frame-bytes"));
    CHECK(mentions(error_for({"--max-message-bytes", "many"}), "--max-message-bytes"));
    CHECK(mentions(error_for({"--max-relay-bytes", "2147483648"}), "--max-relay-bytes"));
  }

  TEST_CASE("a stage that is not a plain name is refused naming --stage") {
    for (const char* value : {"", "a/b", "a b", "a?b"}) {
      CAPTURE(value);
      CHECK(mentions(error_for({"--stage", value}), "--stage"));
    }
  }

  TEST_CASE("a flag without its value is refused naming the flag") {
    std::string error = error_for({"--host", "::", "--port"});
    CHECK(mentions(error, "--port"));
    CHECK(mentions(error, "needs a value"));
  }

  TEST_CASE("an unknown flag is refused naming it") {
    std::string error = error_for({"--colour", "blue"});
    CHECK(mentions(error, "unknown option"));
    CHECK(mentions(error, "--colour"));
  }

  TEST_CASE("an unknown flag given last, without a value, is refused as unknown") {
    std::string error = error_for({"--verbose"});
    CHECK(mentions(error, "unknown option"));
    CHECK(mentions(error, "--verbose"));
  }

  TEST_CASE("ice servers that are not a JSON array are refused naming --ice-servers") {
    for (const char* value : {R"({"urls":"stun:x"})", "stun:x", "[", "null"}) {
      CAPTURE(value);
      CHECK(mentions(error_for({"--ice-servers", value}), "--ice-servers"));
    }
    CHECK(mentions(error_for({}, {{"ICE_SERVERS", "{}"}}), "ICE_SERVERS"));
  }
}

TEST_SUITE("parse_options --lambda") {
  TEST_CASE("--lambda takes the zip and implies the DynamoDB store; defaults as the function's") {
    Options options = parsed({"--lambda", "build/native/lambda/videochat-lambda.zip"});
    CHECK(options.lambda_zip == "build/native/lambda/videochat-lambda.zip");
    CHECK(options.store == videochat::local::StoreKind::DynamoDb);
    CHECK(options.lambda_max_processes == 4);
    CHECK(options.lambda_timeout == std::chrono::milliseconds(10000));
  }
  TEST_CASE("--lambda-max-processes and --lambda-timeout-ms") {
    Options options = parsed({"--lambda", "f.zip", "--lambda-max-processes", "2",
                              "--lambda-timeout-ms", "1500"});
    CHECK(options.lambda_max_processes == 2);
    CHECK(options.lambda_timeout == std::chrono::milliseconds(1500));
    CHECK(mentions(error_for({"--lambda-max-processes", "0"}), "--lambda-max-processes"));
    CHECK(mentions(error_for({"--lambda-timeout-ms", "10"}), "--lambda-timeout-ms"));
  }
  TEST_CASE("--lambda refuses what its function cannot honour") {
    CHECK(mentions(error_for({"--lambda", "f.zip", "--store", "memory"}), "--store memory"));
  }
  TEST_CASE("--max-relay-bytes goes with --lambda too (the function reads it from its env)") {
    CHECK(parsed({"--lambda", "f.zip", "--max-relay-bytes", "16"}).max_relay_bytes == 16);
  }
}

namespace {

// A file name of this process's own under the temporary folder.
std::string scratch_path() {
  static int count = 0;
  return (std::filesystem::temp_directory_path() /
          ("videochat-resume-secret-" + std::to_string(::getpid()) + "-" + std::to_string(++count)))
      .string();
}

}  // namespace

TEST_SUITE("resume secret") {
  using videochat::local::load_resume_secret;
  using videochat::local::ResumeSecret;

  TEST_CASE("VIDEOCHAT_RESUME_SECRET is taken when it has at least 32 bytes") {
    const std::string secret(32, 's');
    Options options = parsed({}, {{"VIDEOCHAT_RESUME_SECRET", secret}});
    CHECK(options.resume_secret == secret);
    auto loaded = load_resume_secret(options);
    REQUIRE(std::holds_alternative<ResumeSecret>(loaded));
    CHECK(std::get<ResumeSecret>(loaded).bytes == secret);
    CHECK(std::get<ResumeSecret>(loaded).source == "environment");
  }

  TEST_CASE("a VIDEOCHAT_RESUME_SECRET shorter than 32 bytes is refused, saying so") {
    CHECK(mentions(error_for({}, {{"VIDEOCHAT_RESUME_SECRET", "short"}}), "at least 32 bytes"));
  }

  TEST_CASE("without a secret configured, 32 random bytes are made, different each start") {
    auto first = load_resume_secret(parsed({}));
    auto second = load_resume_secret(parsed({}));
    REQUIRE(std::holds_alternative<ResumeSecret>(first));
    REQUIRE(std::holds_alternative<ResumeSecret>(second));
    CHECK(std::get<ResumeSecret>(first).bytes.size() == 32);
    CHECK(std::get<ResumeSecret>(first).source == "random");
    CHECK(std::get<ResumeSecret>(first).bytes != std::get<ResumeSecret>(second).bytes);
  }

  TEST_CASE("--resume-secret-file is read, its final newline dropped, and wins over the env") {
    const std::string path = scratch_path();
    {
      std::ofstream file(path);
      file << std::string(40, 'f') << "\n";
    }
    Options options =
        parsed({"--resume-secret-file", path}, {{"VIDEOCHAT_RESUME_SECRET", std::string(32, 'e')}});
    auto loaded = load_resume_secret(options);
    std::remove(path.c_str());
    REQUIRE(std::holds_alternative<ResumeSecret>(loaded));
    CHECK(std::get<ResumeSecret>(loaded).bytes == std::string(40, 'f'));
    CHECK(std::get<ResumeSecret>(loaded).source == "file");
  }

  TEST_CASE("a missing or too short --resume-secret-file is an error naming the file") {
    const std::string path = scratch_path();
    SUBCASE("missing") {}
    SUBCASE("too short") {
      std::ofstream file(path);
      file << "tiny\n";
    }
    auto loaded = load_resume_secret(parsed({"--resume-secret-file", path}));
    std::remove(path.c_str());
    REQUIRE(std::holds_alternative<std::string>(loaded));
    CHECK(mentions(std::get<std::string>(loaded), path));
  }
}
