// The function's zip unpacked as Lambda unpacks it to /var/task: into a private temporary folder
// (mode 0700), file modes kept (bootstrap must stay executable), removed again when this object
// goes. Entries that would land outside the folder are refused before anything is written.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace videochat::local::lambda {

// Why a zip entry's name may not be unpacked (absolute, a ".." component, a backslash), or
// nothing when it is a plain relative path.
std::optional<std::string> unsafe_entry_name(std::string_view name);

// Lambda's limit for a function's unpacked size; also what stops a zip bomb here.
inline constexpr std::uint64_t kMaxUnpackedBytes = 250ull * 1024 * 1024;

class UnpackedFunction {
 public:
  // The folder, or why the zip could not be unpacked (it names the zip and the entry).
  static std::variant<UnpackedFunction, std::string> unpack(const std::string& zip_path);

  UnpackedFunction(UnpackedFunction&& other) noexcept;
  UnpackedFunction& operator=(UnpackedFunction&&) = delete;
  UnpackedFunction(const UnpackedFunction&) = delete;
  ~UnpackedFunction();

  // The task root: LAMBDA_TASK_ROOT for the function's processes.
  const std::string& path() const { return path_; }
  std::size_t files() const { return files_; }

 private:
  UnpackedFunction(std::string path, std::size_t files) : path_(std::move(path)), files_(files) {}
  std::string path_;
  std::size_t files_ = 0;
};

}  // namespace videochat::local::lambda
