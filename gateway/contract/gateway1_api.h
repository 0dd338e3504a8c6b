// The D-Bus API of a running gateway: bus name, object, interface and the
// signature of every method, shared by the service (DbusControlService) and
// its one client (Gateway1Client: nanbyoctl, appcore, later nanbyo-pki).
//
//   bus name  org.nanbyo.Gateway1   object /org/nanbyo/Gateway1
//   interface org.nanbyo.Gateway1
//
//   ListConnections() -> a(tssssssstttds) connections
//       each: id, peer (address:port), listener, kind (https|vpn), serial,
//       hospital (医療機関番号), terminal, user, bytes_in, bytes_out, requests,
//       age_seconds, address (the VPN tunnel's; empty for https); empty strings
//       where unknown
//   Statistics()               -> a(st) counters   (name, value; metric names)
//   Disconnect(t id)           -> b disconnected   (false: no such connection)
//   RevokeCertificate(s serial)-> u closed         (connections ended)
//   RevokeUser(s user)         -> u closed
//   Reload()                   -> ()  or error org.nanbyo.Gateway1.Error.ReloadRefused
//                                     whose message is the one-line reason
//   ListBlocks()               -> a(ssssxt) blocks (IPS, issue 14)
//       each: kind (terminal|source), value (serial or address), reason, origin
//       (threshold|operator), since (Unix seconds), seconds_left
//   Block(s kind, s value, u seconds, s reason) -> u closed (connections ended)
//   Lift(s kind, s value)      -> b lifted         (false: it was not blocked)
//   ReportFailedLogin(s serial, s source) -> b blocked
//       the application core's failed login at a terminal (serial; empty without a
//       certificate) from a source address; true when it crossed the threshold
//
// Access: the system bus policy (packaging/dbus/org.nanbyo.Gateway1.conf)
// admits only root, the group nanbyo-admin and, for RevokeUser only, the
// application core's user _nanbyo-app. Disconnect, Revoke* and Reload are
// moreover refused with org.freedesktop.DBus.Error.AccessDenied unless the
// caller's euid is 0, the gateway's own uid, or in the service's allow-list
// (RevokeUser and ReportFailedLogin: or in its list of the application core's uids;
// caller.h). Block and Lift are changes like Disconnect.
// An empty serial or user is org.freedesktop.DBus.Error.InvalidArgs.
#pragma once

namespace nanbyo::gw::dbus {

inline constexpr const char* kBusName = "org.nanbyo.Gateway1";
inline constexpr const char* kObjectPath = "/org/nanbyo/Gateway1";
inline constexpr const char* kInterface = "org.nanbyo.Gateway1";

// The methods.
inline constexpr const char* kListConnections = "ListConnections";
inline constexpr const char* kStatistics = "Statistics";
inline constexpr const char* kDisconnect = "Disconnect";
inline constexpr const char* kRevokeCertificate = "RevokeCertificate";
inline constexpr const char* kRevokeUser = "RevokeUser";
inline constexpr const char* kReload = "Reload";
inline constexpr const char* kListBlocks = "ListBlocks";
inline constexpr const char* kBlock = "Block";
inline constexpr const char* kLift = "Lift";
inline constexpr const char* kReportFailedLogin = "ReportFailedLogin";

// One connection: t id, 7 s (peer listener kind serial hospital terminal user),
// 3 t (bytes_in bytes_out requests), d age_seconds, s address.
inline constexpr const char* kConnectionStruct = "(tssssssstttds)";
inline constexpr const char* kConnectionArray = "a(tssssssstttds)";
inline constexpr const char* kCounterStruct = "(st)";
inline constexpr const char* kCounterArray = "a(st)";
// One block: s kind, s value, s reason, s origin, x since (Unix seconds), t seconds_left.
inline constexpr const char* kBlockStruct = "(ssssxt)";
inline constexpr const char* kBlockArray = "a(ssssxt)";

inline constexpr const char* kErrorReloadRefused = "org.nanbyo.Gateway1.Error.ReloadRefused";

}  // namespace nanbyo::gw::dbus
