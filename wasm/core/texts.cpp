#include "texts.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace videochat::client {

std::span<const TextEntry> english_texts();  // texts_en.cpp
std::span<const TextEntry> german_texts();   // texts_de.cpp

namespace {

// The tables by id, built once; a text missing from a table (the unit tests forbid it) falls
// back to English.
using Lookup = std::array<std::string_view, static_cast<std::size_t>(Text::kCount)>;

Lookup lookup_of(std::span<const TextEntry> table, const Lookup* fallback) {
  Lookup lookup{};
  if (fallback) lookup = *fallback;
  for (const TextEntry& entry : table) lookup[static_cast<std::size_t>(entry.id)] = entry.text;
  return lookup;
}

const Lookup& english_lookup() {
  static const Lookup lookup = lookup_of(english_texts(), nullptr);
  return lookup;
}

const Lookup& german_lookup() {
  static const Lookup lookup = lookup_of(german_texts(), &english_lookup());
  return lookup;
}

std::string_view g_language = "en";

std::string primary_tag(std::string_view tag) {
  std::string primary(tag.substr(0, tag.find_first_of("-_")));
  std::transform(primary.begin(), primary.end(), primary.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return primary;
}

std::string_view spoken(std::string_view tag) {
  const std::string primary = primary_tag(tag);
  for (std::string_view language : kLanguages) {
    if (primary == language) return language;
  }
  return {};
}

}  // namespace

std::span<const TextEntry> text_table(std::string_view language) {
  return language == "de" ? german_texts() : english_texts();
}

std::string_view choose_language(std::string_view override,
                                 std::span<const std::string> preferred) {
  if (auto chosen = spoken(override); !chosen.empty()) return chosen;
  for (const std::string& tag : preferred) {
    if (auto chosen = spoken(tag); !chosen.empty()) return chosen;
  }
  return kLanguages[0];
}

void set_language(std::string_view language) {
  g_language = spoken(language).empty() ? kLanguages[0] : spoken(language);
}

std::string_view language() {
  return g_language;
}

std::string tr(Text id, std::string_view first, std::string_view second) {
  const Lookup& lookup = g_language == "de" ? german_lookup() : english_lookup();
  const std::string_view pattern = lookup[static_cast<std::size_t>(id)];
  std::string text;
  text.reserve(pattern.size() + first.size() + second.size());
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{' && i + 2 < pattern.size() && pattern[i + 2] == '}' &&
        (pattern[i + 1] == '0' || pattern[i + 1] == '1')) {
      text += pattern[i + 1] == '0' ? first : second;
      i += 2;
    } else {
      text += pattern[i];
    }
  }
  return text;
}

}  // namespace videochat::client
