// The client's texts in German (see texts.hpp). German is also the layout's test: its words are
// long, and every button must still hold its label.
#include "texts.hpp"

namespace videochat::client {

namespace {

constexpr TextEntry kGerman[] = {
    {Text::kAppTitle, "Videochat"},
    {Text::kIntro,
     "Wählen Sie einen Raum und sprechen Sie mit allen darin von Angesicht zu "
     "Angesicht."},
    {Text::kKeyboardShortcuts, "Tastenkürzel"},
    {Text::kWaitingForPermission, "Warte auf die Freigabe der Kamera..."},
    {Text::kNoCamera, "Keine Kamera"},
    {Text::kStartingCamera, "Die Kamera startet..."},
    {Text::kCameraIsOff, "Die Kamera ist aus"},
    {Text::kCamera, "Kamera"},
    {Text::kMicrophone, "Mikrofon"},
    {Text::kRoom, "Raum"},
    {Text::kRoomPlaceholder, "z. B. team-besprechung"},
    {Text::kRandomRoom, "Zufälliger Raum"},
    {Text::kYourName, "Ihr Name (freiwillig)"},
    {Text::kNamePlaceholder, "Für die anderen sichtbar"},
    {Text::kJoinRoom, "Raum betreten"},
    {Text::kLoading, "Wird geladen..."},

    {Text::kRoomEmpty, "Geben Sie einen Raumnamen ein oder wählen Sie einen zufälligen."},
    {Text::kRoomTooLong, "Dieser Raumname ist zu lang."},
    {Text::kRoomBadCharacters,
     "Ein Raumname darf Buchstaben und Ziffern jeder Schrift, - und _ enthalten, aber keine "
     "Leerzeichen und keine anderen Satzzeichen."},
    {Text::kStillLoading, "Wird noch geladen; versuchen Sie es gleich noch einmal."},

    {Text::kMediaRefused,
     "Der Zugriff auf Kamera und Mikrofon wurde verweigert. Erlauben Sie ihn in der Adressleiste "
     "des Browsers, um gesehen und gehört zu werden; teilnehmen und zuschauen können Sie "
     "trotzdem."},
    {Text::kMediaNotFound, "Es wurde weder Kamera noch Mikrofon gefunden."},
    {Text::kMediaBusy, "Kamera oder Mikrofon werden von einem anderen Programm benutzt."},
    {Text::kMediaUnavailable, "Kamera und Mikrofon sind nicht verfügbar ({0})."},
    {Text::kMediaNeedsSecureContext,
     "Diese Seite kann hier keine Kamera benutzen (sie braucht https oder localhost)."},

    {Text::kPeerConnecting, "Verbindung wird aufgebaut..."},
    {Text::kPeerConnected, "Verbunden"},
    {Text::kPeerSignalingLost,
     "Signalisierung verloren: das Gespräch läuft weiter, solange die Verbindung hält"},
    {Text::kPeerReconnecting, "Verbindung unterbrochen, neuer Versuch..."},
    {Text::kPeerFailed, "Keine Verbindung möglich (vielleicht blockiert eine Firewall)"},
    {Text::kNoVideo, "Kein Video"},
    {Text::kYou, "Sie"},
    {Text::kNameIsYou, "{0} (Sie)"},
    {Text::kMutedTag, "(stumm)"},
    {Text::kMutedDescription, "stummgeschaltet"},
    {Text::kConnectedDescription, "verbunden"},
    {Text::kGuest, "Gast {0}"},
    {Text::kWaitingForOthers, "Warten auf die anderen"},
    {Text::kInTheCall, "Im Gespräch"},
    {Text::kConnectingToServer, "Verbindung zum Server wird aufgebaut..."},
    {Text::kReconnectingToServer, "Neue Verbindung zum Server; das Gespräch läuft weiter..."},
    {Text::kServerUnreachable, "Server nicht erreichbar: neuer Versuch in {0} s"},
    {Text::kServerUnreachableCallGoesOn,
     "Server nicht erreichbar (das Gespräch läuft weiter): neuer Versuch in {0} s"},
    {Text::kOffline, "Offline"},
    {Text::kRoomName, "Raum {0}"},
    {Text::kMute, "Stummschalten"},
    {Text::kStopVideo, "Video beenden"},
    {Text::kCopyLink, "Link kopieren"},
    {Text::kLeave, "Verlassen"},
    {Text::kLinkCopied, "Link kopiert."},
    {Text::kAloneHint,
     "Noch ist niemand sonst hier. Kopieren Sie den Link und schicken Sie ihn allen, mit denen "
     "Sie sprechen möchten."},
    {Text::kParticipants, "Teilnehmende"},
    {Text::kShareScreen, "Bildschirm teilen"},
    {Text::kChat, "Chat"},
    {Text::kChatUnread, "Chat ({0})"},
    {Text::kYourScreen, "Dein Bildschirm"},
    {Text::kNamesScreen, "Bildschirm von {0}"},
    {Text::kScreenShareCancelled, "Die Bildschirmfreigabe wurde abgebrochen."},
    {Text::kScreenShareBlocked, "Die Bildschirmfreigabe ist in den Systemeinstellungen gesperrt."},
    {Text::kScreenShareNeedsClick, "Die Bildschirmfreigabe kann nur per Klick oder Tastendruck starten."},
    {Text::kScreenShareFailed, "Die Bildschirmfreigabe konnte nicht starten ({0})."},
    {Text::kScreenShareUnsupported, "Dieser Browser kann keinen Bildschirm teilen."},
    {Text::kChatPlaceholder, "Nachricht an alle"},
    {Text::kSend, "Senden"},
    {Text::kChatEmpty, "Noch keine Nachrichten. Sie gehen direkt an die anderen, nicht über einen Server."},
    {Text::kChatNobody, "Hier kann noch niemand Nachrichten empfangen."},
    {Text::kChatUnavailableWith, "Mit {0} ist kein Chat möglich."},
    {Text::kChatTooLong, "Diese Nachricht ist zu lang: {0} Bytes, höchstens {1}."},
    {Text::kChatNotText, "Diese Nachricht ist kein Text."},
    {Text::kChatRelayedBy, "früher, weitergegeben von {0}"},
    {Text::kSaidScreenShared, "{0} teilt einen Bildschirm."},
    {Text::kSaidScreenStopped, "{0} teilt nicht mehr."},
    {Text::kSaidYouShare, "Du teilst deinen Bildschirm."},
    {Text::kSaidYouStoppedSharing, "Du teilst deinen Bildschirm nicht mehr."},

    {Text::kOk, "OK"},
    {Text::kShortcutMicrophone, "M: Mikrofon stumm- oder wieder einschalten"},
    {Text::kShortcutCamera, "V: Kamera aus- oder einschalten"},
    {Text::kShortcutLeave, "L: Gespräch verlassen (mit Rückfrage)"},
    {Text::kShortcutHelp, "?: diese Liste"},
    {Text::kShortcutKeys,
     "Tab, Umschalt+Tab: von Element zu Element; Eingabe oder Leertaste: auslösen; Esc: Dialog "
     "schließen"},
    {Text::kShortcutsSwitch, "Kürzel mit einer Taste (M, V, L, ?)"},
    {Text::kClose, "Schließen"},
    {Text::kLeaveTitle, "Gespräch verlassen?"},
    {Text::kLeaveText, "Mit demselben Link können Sie zurückkommen."},
    {Text::kStay, "Bleiben"},
    {Text::kRoomFullTitle, "Dieser Raum ist voll"},
    {Text::kRoomFullText,
     "Im Raum sind schon so viele Personen, wie er fasst. Versuchen Sie einen anderen Raum oder "
     "diesen später."},
    {Text::kDisconnectedTitle, "Vom Server getrennt"},
    {Text::kServerRefusedTitle, "Der Server hat eine Anfrage abgelehnt"},
    {Text::kErrorBadRequest,
     "Der Server hat diese Seite nicht verstanden. Laden Sie sie neu; geschieht es wieder, passen "
     "Seite und Server vielleicht nicht zusammen."},
    {Text::kErrorNotInRoom,
     "Der Server zählt Sie nicht mehr zu diesem Raum. Verlassen Sie ihn und treten Sie neu ein."},
    {Text::kErrorTooLarge, "Eine Nachricht an die anderen war zu groß zum Senden."},
    {Text::kErrorPeerIdInUse,
     "Sie sind schon in einem anderen Tab oder auf einem anderen Gerät in diesem Raum."},
    {Text::kErrorUnknownRecipient, "Eine Nachricht ging an jemanden, der den Raum verlassen hat."},
    {Text::kErrorInternal,
     "Der Server konnte eine Anfrage nicht ausführen. Ein neuer Versuch kann helfen."},

    {Text::kSaidLeft, "Sie haben den Raum verlassen."},
    {Text::kSaidJoined, "Sie sind im Raum {0}."},
    {Text::kSaidJoinedAlone, "Sie sind im Raum {0}. Noch ist niemand sonst hier."},
    {Text::kSaidServerRestored, "Verbindung zum Server wiederhergestellt."},
    {Text::kSaidServerLost, "Verbindung zum Server verloren. Neuer Versuch."},
    {Text::kSaidServerLostCallGoesOn,
     "Verbindung zum Server verloren. Das Gespräch läuft weiter; neuer Versuch."},
    {Text::kSaidPeerLeft, "{0} hat das Gespräch verlassen."},
    {Text::kSaidPeerJoined, "{0} ist dem Gespräch beigetreten."},
    {Text::kSaidPeerFailed, "Keine Verbindung zu {0} möglich."},
    {Text::kSaidPeerInterrupted, "Verbindung zu {0} unterbrochen. Neuer Versuch."},
    {Text::kSaidPeerRestored, "Verbindung zu {0} wiederhergestellt."},
    {Text::kSaidMicrophoneOn, "Mikrofon an."},
    {Text::kSaidMicrophoneMuted, "Mikrofon stummgeschaltet."},
    {Text::kSaidCameraOn, "Kamera an."},
    {Text::kSaidCameraOff, "Kamera aus."},
};

}  // namespace

std::span<const TextEntry> german_texts() {
  return kGerman;
}

}  // namespace videochat::client
