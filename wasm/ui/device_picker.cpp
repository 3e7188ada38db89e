#include "device_picker.hpp"

#include <nlohmann/json.hpp>

#include "host.hpp"
#include "texts.hpp"

namespace videochat::ui {

using client::Text;
using client::tr;

void open_device_picker() {
  const nlohmann::json texts{
      {"title", tr(Text::kDevicesTitle)},    {"camera", tr(Text::kCamera)},
      {"microphone", tr(Text::kMicrophone)}, {"speaker", tr(Text::kSpeaker)},
      {"close", tr(Text::kClose)},           {"speakerUnsupported", tr(Text::kSpeakerUnsupported)}};
  browser::host().call<void>("showDevices", texts.dump());
}

}  // namespace videochat::ui
