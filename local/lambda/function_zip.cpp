#include "function_zip.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <vector>

namespace videochat::local::lambda {

namespace fs = std::filesystem;

std::optional<std::string> unsafe_entry_name(std::string_view name) {
  if (name.empty()) return "an entry has an empty name";
  if (name.front() == '/') return "absolute path";
  // Not a separator on Linux, but one wherever the zip was made on Windows: refused, not guessed.
  if (name.find('\\') != std::string_view::npos) return "backslash in the path";
  std::size_t start = 0;
  while (start <= name.size()) {
    std::size_t slash = name.find('/', start);
    if (slash == std::string_view::npos) slash = name.size();
    if (name.substr(start, slash - start) == "..") return "'..' in the path";
    start = slash + 1;
  }
  return std::nullopt;
}

namespace {

struct ZipCloser {
  void operator()(zip_t* archive) const { zip_discard(archive); }
};
struct ZipFileCloser {
  void operator()(zip_file_t* file) const { zip_fclose(file); }
};

struct Entry {
  zip_uint64_t index;
  std::string name;
  bool directory;
  mode_t mode;  // permission bits
  zip_uint64_t size;
};

std::string temporary_parent() {
  const char* tmp = std::getenv("TMPDIR");
  return tmp && *tmp ? tmp : "/tmp";
}

// Reads one entry into a new file (never through an existing file or link).
std::optional<std::string> extract(zip_t* archive, const Entry& entry, const fs::path& target) {
  std::unique_ptr<zip_file_t, ZipFileCloser> in(zip_fopen_index(archive, entry.index, 0));
  if (!in) return std::string("cannot read it: ") + zip_strerror(archive);
  int fd = ::open(target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, entry.mode);
  if (fd < 0) return std::string("cannot create it: ") + std::strerror(errno);
  std::vector<char> buffer(64 * 1024);
  std::optional<std::string> error;
  zip_uint64_t written = 0;
  for (;;) {
    zip_int64_t got = zip_fread(in.get(), buffer.data(), buffer.size());
    if (got < 0) {
      error = std::string("cannot decompress it: ") + zip_file_strerror(in.get());
      break;
    }
    if (got == 0) break;
    written += static_cast<zip_uint64_t>(got);
    // The central directory's size is what was checked against the limit: hold it to that.
    if (written > entry.size) {
      error = "it is larger than the zip's directory says";
      break;
    }
    for (zip_int64_t done = 0; done < got;) {
      ssize_t n = ::write(fd, buffer.data() + done, static_cast<std::size_t>(got - done));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        error = std::string("cannot write it: ") + std::strerror(errno);
        break;
      }
      done += n;
    }
    if (error) break;
  }
  // The umask must not take bootstrap's execute bits.
  if (!error && ::fchmod(fd, entry.mode) != 0)
    error = std::string("chmod: ") + std::strerror(errno);
  ::close(fd);
  return error;
}

}  // namespace

std::variant<UnpackedFunction, std::string> UnpackedFunction::unpack(const std::string& zip_path) {
  const std::string where = "the function zip " + zip_path;
  int open_error = 0;
  std::unique_ptr<zip_t, ZipCloser> archive(
      zip_open(zip_path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &open_error));
  if (!archive) {
    zip_error_t error;
    zip_error_init_with_code(&error, open_error);
    std::string message = where + ": " + zip_error_strerror(&error);
    zip_error_fini(&error);
    return message;
  }

  // Every entry is checked before anything is written.
  std::vector<Entry> entries;
  zip_uint64_t total = 0;
  const zip_int64_t count = zip_get_num_entries(archive.get(), 0);
  for (zip_int64_t i = 0; i < count; ++i) {
    zip_stat_t stat;
    if (zip_stat_index(archive.get(), static_cast<zip_uint64_t>(i), 0, &stat) != 0 ||
        !(stat.valid & ZIP_STAT_NAME) || !(stat.valid & ZIP_STAT_SIZE)) {
      return where + ": entry " + std::to_string(i) + " is unreadable";
    }
    std::string name = stat.name;
    if (auto problem = unsafe_entry_name(name)) {
      return where + ": refusing entry '" + name + "': " + *problem;
    }
    zip_uint8_t system = 0;
    zip_uint32_t attributes = 0;
    zip_file_get_external_attributes(archive.get(), static_cast<zip_uint64_t>(i), 0, &system,
                                     &attributes);
    const bool directory = name.back() == '/';
    mode_t mode = directory ? 0755 : 0644;
    if (system == ZIP_OPSYS_UNIX && (attributes >> 16) != 0) {
      const mode_t unix_mode = static_cast<mode_t>(attributes >> 16);
      // A link could point anywhere, and a later entry written through it would land there.
      if (S_ISLNK(unix_mode)) return where + ": refusing entry '" + name + "': a symbolic link";
      mode = unix_mode & 0755;
    }
    total += stat.size;
    if (total > kMaxUnpackedBytes) {
      return where + ": unpacks to more than " + std::to_string(kMaxUnpackedBytes) +
             " bytes (Lambda's limit)";
    }
    entries.push_back({static_cast<zip_uint64_t>(i), std::move(name), directory, mode, stat.size});
  }

  std::string pattern = temporary_parent() + "/videochat-lambda-XXXXXX";
  if (!::mkdtemp(pattern.data())) {
    return "cannot make a temporary folder for " + where + " (" + pattern +
           "): " + std::strerror(errno);
  }
  UnpackedFunction unpacked(pattern, 0);
  const fs::path root(pattern);
  for (const auto& entry : entries) {
    const fs::path target = root / entry.name;
    std::error_code ec;
    if (entry.directory) {
      fs::create_directories(target, ec);
      if (ec) return where + ": cannot create '" + entry.name + "': " + ec.message();
      continue;
    }
    fs::create_directories(target.parent_path(), ec);
    if (ec) return where + ": cannot create the folder of '" + entry.name + "': " + ec.message();
    if (auto error = extract(archive.get(), entry, target)) {
      return where + ": entry '" + entry.name + "': " + *error;
    }
    ++unpacked.files_;
  }
  return unpacked;
}

UnpackedFunction::UnpackedFunction(UnpackedFunction&& other) noexcept
    : path_(std::move(other.path_)), files_(other.files_) {
  other.path_.clear();
}

UnpackedFunction::~UnpackedFunction() {
  if (path_.empty()) return;
  std::error_code ignored;
  fs::remove_all(path_, ignored);
}

}  // namespace videochat::local::lambda
