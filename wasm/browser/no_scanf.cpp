// What ImGui's calls to sscanf reach in the browser build (wasm/CMakeLists.txt renames them): a
// scanner that matches nothing. ImGui scans text only to read .ini settings, which the client never
// gives it (io.IniFilename is null: no files in a browser), so nothing is lost, and libc's sscanf,
// whose %f pulls in a long-double number parser, is not downloaded.
extern "C" int videochat_imgui_sscanf(const char*, const char*, ...) {
  return 0;
}
