// The room store videochat-local runs its handlers on, as --store chooses: in memory, or the
// DynamoDB store the Lambda handlers use (against AWS or dynalite), its table created if missing.
#pragma once

#include <memory>
#include <string>
#include <variant>

#include "logger.hpp"
#include "options.hpp"
#include "room_store.hpp"

namespace videochat::local {

// The store, or why it could not be made (a missing variable, an unreachable endpoint).
std::variant<std::shared_ptr<lambdas::RoomStore>, std::string> make_room_store(
    const Options& options, lambdas::Logger& log);

}  // namespace videochat::local
