#include "room_store_factory.hpp"

#include <cstdlib>
#include <filesystem>

#include "dynamodb_backend.hpp"
#include "dynamodb_table.hpp"
#include "memory_room_store.hpp"

namespace videochat::local {

std::variant<std::shared_ptr<lambdas::RoomStore>, std::string> make_room_store(
    const Options& options, lambdas::Logger& log) {
  if (options.store == StoreKind::Memory) {
    return std::shared_ptr<lambdas::RoomStore>(
        std::make_shared<lambdas::MemoryRoomStore>(options.room_capacity));
  }
  try {
    auto environment = [](std::string_view name) -> std::optional<std::string> {
      const char* value = std::getenv(std::string(name).c_str());
      if (!value || !*value) return std::nullopt;
      return std::string(value);
    };
    auto exists = [](const std::string& path) {
      std::error_code ignored;
      return std::filesystem::exists(path, ignored);
    };
    aws::DynamoDbConfig config = aws::dynamodb_config_from(environment, exists);
    aws::DynamoDbRoomStoreOptions store_options;
    store_options.room_capacity = options.room_capacity;
    auto backend = std::make_shared<aws::DynamoDbBackend>(config, store_options);
    aws::TableSetup setup =
        aws::ensure_table(backend->client(), config.table, aws::RetryTiming::system());
    log.write({{"event", "store"},
               {"kind", "dynamodb"},
               {"endpoint", config.endpoint},
               {"table", config.table},
               {"tableCreated", setup.created},
               {"ttl", setup.ttl_supported}});
    // The store lives inside the backend (its HTTP transport and client); share ownership of both.
    return std::shared_ptr<lambdas::RoomStore>(backend, &backend->store());
  } catch (const std::exception& error) {
    return std::string("--store dynamodb: ") + error.what();
  }
}

}  // namespace videochat::local
