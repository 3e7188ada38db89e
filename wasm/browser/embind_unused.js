// Embind registers every built-in C++ type when the module starts, whether the program passes it
// or not. The client never passes std::wstring, std::u16string or std::u32string, 64-bit integers
// or memory views (typed_memory_view) between C++ and JavaScript: their registration does nothing
// here, so the converters it would bring (UTF-16, UTF-32, BigInt, typed arrays) are not
// downloaded. Passing one now fails loudly: Embind reports the type as unbound.
mergeInto(LibraryManager.library, {
  _embind_register_std_wstring__sig: 'vpii',
  _embind_register_std_wstring: function(rawType, charSize, name) {},
  _embind_register_bigint__sig: 'vpipjj',
  _embind_register_bigint: function(rawType, name, size, minRange, maxRange) {},
  _embind_register_memory_view__sig: 'vpip',
  _embind_register_memory_view: function(rawType, dataTypeIndex, name) {},
});
