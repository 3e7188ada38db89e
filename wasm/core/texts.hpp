// Every sentence the client shows or says, in each language it speaks: one table per language
// (texts_en.cpp, texts_de.cpp). The language is chosen once, when the page opens, from the page's
// ?lang= or the browser's languages; server errors are told by their code, in that language (the
// server's own message is English).
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace videochat::client {

enum class Text {
  // The lobby
  kAppTitle,
  kIntro,
  kKeyboardShortcuts,
  kWaitingForPermission,
  kNoCamera,
  kStartingCamera,
  kCameraIsOff,
  kCamera,
  kMicrophone,
  kRoom,
  kRoomPlaceholder,
  kRandomRoom,
  kYourName,
  kNamePlaceholder,
  kJoinRoom,
  kLoading,
  // Why a join cannot happen
  kRoomEmpty,
  kRoomTooLong,
  kRoomBadCharacters,
  kStillLoading,
  // The camera and microphone
  kMediaRefused,
  kMediaNotFound,
  kMediaBusy,
  kMediaUnavailable,
  kMediaNeedsSecureContext,
  // The call
  kPeerConnecting,
  kPeerConnected,
  kPeerSignalingLost,
  kPeerReconnecting,
  kPeerFailed,
  kPeerRelayRefused,
  kPeerRelayRefusedTrying,
  kNoVideo,
  kYou,
  kNameIsYou,
  kMutedTag,
  kMutedDescription,
  kConnectedDescription,
  kGuest,
  kWaitingForOthers,
  kInTheCall,
  kConnectingToServer,
  kReconnectingToServer,
  kServerUnreachable,
  kServerUnreachableCallGoesOn,
  kOffline,
  kRoomName,
  kMute,
  kStopVideo,
  kCopyLink,
  kLeave,
  kLinkCopied,
  kAloneHint,
  kParticipants,
  // Screen sharing and chat
  kShareScreen,
  kChat,
  kChatUnread,
  kYourScreen,
  kNamesScreen,
  kScreenShareCancelled,
  kScreenShareBlocked,
  kScreenShareNeedsClick,
  kScreenShareFailed,
  kScreenShareUnsupported,
  kChatPlaceholder,
  kSend,
  kChatEmpty,
  kChatNobody,
  kChatUnavailableWith,
  kChatTooLong,
  kChatNotText,
  kChatRelayedBy,
  kSaidScreenShared,
  kSaidScreenStopped,
  kSaidYouShare,
  kSaidYouStoppedSharing,
  kRaiseHand,
  kHandRaisedTag,
  kHandRaisedDescription,
  kSpeakingDescription,
  kQualityDescription,
  kQualityGood,
  kQualityFair,
  kQualityPoor,
  kDetailsFor,
  kPinTile,
  kFullScreenTile,
  kFullScreen,
  kSafetyCode,
  kSafetyCodeHint,
  kSafetyCodeChanged,
  kSafetyCodeWaiting,
  kStatsVideo,
  kStatsReceiving,
  kStatsLink,
  kStatsPath,
  kYouAreMuted,
  kSaidHandRaised,
  kSaidYouAreMuted,
  kShortcutHand,
  kShortcutFullScreen,
  kDevicesButton,
  kDevicesTitle,
  kSpeaker,
  kSpeakerUnsupported,
  // The dialogs
  kOk,
  kShortcutMicrophone,
  kShortcutCamera,
  kShortcutLeave,
  kShortcutHelp,
  kShortcutKeys,
  kShortcutsSwitch,
  kClose,
  kLeaveTitle,
  kLeaveText,
  kStay,
  kRoomFullTitle,
  kRoomFullText,
  kNameRefusedTitle,
  kNameRefusedText,
  kDisconnectedTitle,
  kServerRefusedTitle,
  kErrorBadRequest,
  kErrorNotInRoom,
  kErrorTooLarge,
  kErrorPeerIdInUse,
  kErrorUnknownRecipient,
  kErrorInternal,
  // What screen readers hear
  kSaidLeft,
  kSaidJoined,
  kSaidJoinedAlone,
  kSaidServerRestored,
  kSaidServerLost,
  kSaidServerLostCallGoesOn,
  kSaidPeerLeft,
  kSaidPeerJoined,
  kSaidPeerFailed,
  kSaidPeerInterrupted,
  kSaidPeerRestored,
  kSaidMicrophoneOn,
  kSaidMicrophoneMuted,
  kSaidCameraOn,
  kSaidCameraOff,
  // Room passcodes and the lock
  kPasscode,
  kPasscodePlaceholder,
  kPasscodeRules,
  kPasscodeRequired,
  kWrongPasscode,
  kTooManyAttempts,
  kRoomLockedTitle,
  kRoomLockedText,
  kLockRoom,
  kYouLockedRoom,
  kYouUnlockedRoom,
  kMemberLockedRoom,
  kMemberUnlockedRoom,
  kRoomWasLocked,
  kRoomWasUnlocked,
  kLinkCopiedWithPasscode,
  kCount
};

struct TextEntry {
  Text id;
  std::string_view text;  // {0}, {1}: what the caller fills in
};

// The languages spoken, by BCP 47 primary tag; the first is the fallback.
inline constexpr std::string_view kLanguages[] = {"en", "de"};
std::span<const TextEntry> text_table(std::string_view language);

// The language to speak: `override` (the page's ?lang=) if spoken, else the first of the browser's
// `preferred` languages (navigator.languages: "de-AT", "en-US"…) that is, else English.
std::string_view choose_language(std::string_view override, std::span<const std::string> preferred);

// The language all tr() calls use from now on (English until set).
void set_language(std::string_view language);
std::string_view language();

// The text `id` in the current language, with {0} and {1} filled in.
std::string tr(Text id, std::string_view first = {}, std::string_view second = {});

}  // namespace videochat::client
