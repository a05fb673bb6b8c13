// The JSON lines of chorus-cli's messaging commands (docs/cli.md): messages, chats and groups
// as `listen`, `messages`, `chats` and `group` print them, and the chat arguments they take.
// Chat JIDs and message text are the person's data: they go to standard output only.
#pragma once

#include <QJsonObject>
#include <QString>
#include <string>
#include <string_view>

#include "core/api/group_types.h"
#include "core/api/message_types.h"
#include "core/util/result.h"

namespace chorus::app::cli {

// A chat argument: digits (optionally with '+') → "<digits>@s.whatsapp.net"; anything else
// (a user JID, a group JID "<id>@g.us") as given.
[[nodiscard]] std::string chatJidOf(std::string_view arg);
// A group argument: "<id>@g.us", or the id alone.
[[nodiscard]] std::string groupJidOf(std::string_view arg);

// An error's text for the one line on stderr with every phone number in it masked
// ("+15••••••111"): user JIDs and "+<digits>" (a server's refusal may name participants).
[[nodiscard]] std::string maskedErrorText(const core::Error& error);

[[nodiscard]] QString kindName(api::MessageKind kind);          // text, placeholder, system
[[nodiscard]] QString statusName(api::MessageStatus status);    // queued ... read, failed
[[nodiscard]] QString directionName(api::MessageDirection d);   // in, out
[[nodiscard]] qint64 unixSeconds(api::MessageTime t);

// listen: {"event":"message","chat","id","from","name","kind","text","t"}
[[nodiscard]] QJsonObject messageEventJson(std::string_view chat, const api::MessageView& m);
// messages: {"id","direction","status","kind","t","from","name","text"[,"failure"]}
[[nodiscard]] QJsonObject messageJson(const api::MessageView& m);
// chats: {"chat","kind","name","unread","last_activity"[,"last":{...}]}
[[nodiscard]] QJsonObject chatJson(const api::ChatSummary& chat);
// group: {"group","subject","creator","created","participants":[{"jid","admin","super_admin"}]}
[[nodiscard]] QJsonObject groupJson(const api::GroupInfo& group);

}  // namespace chorus::app::cli
