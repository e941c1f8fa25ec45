#include "keel/mesos/connection_state.h"

#include <algorithm>
#include <cmath>

namespace keel::mesos {
namespace {

std::string millis(Duration d) { return std::to_string(d.count()) + " ms"; }

ConnectionAction action(ConnectionAction::Kind kind, uint64_t attempt) {
  ConnectionAction a;
  a.kind = kind;
  a.attempt = attempt;
  return a;
}

bool hasStream(ConnectionState s) {
  return s == ConnectionState::kConnecting || s == ConnectionState::kSubscribing ||
         s == ConnectionState::kSubscribed;
}

Status refusal(const ResponseInput& in) {
  std::string detail = in.body.empty() ? "" : ": " + in.body;
  if (in.status == 401) {
    return Status::failedPrecondition(
        "authentication failed: the master answered 401 Unauthorized to SUBSCRIBE (check the "
        "principal and secret of the framework's credential)" +
        detail);
  }
  std::string text = "the master refused SUBSCRIBE with HTTP " + std::to_string(in.status) + detail;
  return in.status == 400 ? Status::invalidArgument(text) : Status::failedPrecondition(text);
}

}  // namespace

std::string_view connectionStateName(ConnectionState state) {
  switch (state) {
    case ConnectionState::kDisconnected:
      return "disconnected";
    case ConnectionState::kConnecting:
      return "connecting";
    case ConnectionState::kSubscribing:
      return "subscribing";
    case ConnectionState::kSubscribed:
      return "subscribed";
    case ConnectionState::kBackingOff:
      return "backing-off";
    case ConnectionState::kFailed:
      return "failed";
    case ConnectionState::kStopped:
      return "stopped";
  }
  return "unknown";
}

std::string_view connectionActionName(ConnectionAction::Kind kind) {
  switch (kind) {
    case ConnectionAction::Kind::kOpenStream:
      return "open-stream";
    case ConnectionAction::Kind::kCloseStream:
      return "close-stream";
    case ConnectionAction::Kind::kSubscribed:
      return "subscribed";
    case ConnectionAction::Kind::kDisconnected:
      return "disconnected";
    case ConnectionAction::Kind::kFailed:
      return "failed";
  }
  return "unknown";
}

Backoff::Backoff(const BackoffPolicy& policy) : policy_(policy), rng_(policy.seed) {}

Duration Backoff::next() {
  double base = static_cast<double>(policy_.initial.count()) *
                std::pow(policy_.factor, static_cast<double>(attempts_));
  double capped = std::min(base, static_cast<double>(policy_.max.count()));
  if (capped < static_cast<double>(policy_.max.count())) ++attempts_;
  double jitter = std::clamp(policy_.jitter, 0.0, 1.0);
  double u = std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
  return Duration(static_cast<int64_t>(std::llround(capped * (1.0 - jitter * u))));
}

ConnectionStateMachine::ConnectionStateMachine(ConnectionConfig config)
    : config_(std::move(config)),
      backoff_(config_.backoff),
      endpoint_(config_.master),
      frameworkId_(config_.frameworkId) {}

std::vector<ConnectionAction> ConnectionStateMachine::handle(const ConnectionInput& input,
                                                             TimePoint now) {
  return std::visit(
      [&](const auto& in) -> Actions {
        using T = std::decay_t<decltype(in)>;
        if constexpr (std::is_same_v<T, StartInput>) return onStart(now);
        if constexpr (std::is_same_v<T, StopInput>) return onStop();
        if constexpr (std::is_same_v<T, TickInput>) return onTick(now);
        if constexpr (std::is_same_v<T, ResponseInput>) return onResponse(in, now);
        if constexpr (std::is_same_v<T, SubscribedInput>) return onSubscribed(in, now);
        if constexpr (std::is_same_v<T, EventInput>) {
          return current(in.attempt) ? onEvent(now) : Actions{};
        }
        if constexpr (std::is_same_v<T, ErrorEventInput>) return onErrorEvent(in);
        if constexpr (std::is_same_v<T, StreamEndedInput>) return onStreamEnded(in, now);
      },
      input);
}

std::optional<TimePoint> ConnectionStateMachine::nextDeadline() const {
  switch (state_) {
    case ConnectionState::kBackingOff:
      return retryAt_;
    case ConnectionState::kConnecting:
    case ConnectionState::kSubscribing:
      return attemptStarted_ + config_.timeouts.subscribeTimeout;
    case ConnectionState::kSubscribed:
      return lastEvent_ + heartbeatInterval_ * config_.timeouts.missedHeartbeats;
    default:
      return std::nullopt;
  }
}

ConnectionStateMachine::Actions ConnectionStateMachine::onStart(TimePoint now) {
  if (hasStream(state_) || state_ == ConnectionState::kBackingOff) return {};
  backoff_.reset();
  redirects_ = 0;
  endpoint_ = config_.master;
  lastError_ = Status::ok();
  return openStream(now);
}

ConnectionStateMachine::Actions ConnectionStateMachine::onStop() {
  Actions actions;
  if (hasStream(state_)) actions.push_back(action(ConnectionAction::Kind::kCloseStream, attempt_));
  state_ = ConnectionState::kStopped;
  streamId_.clear();
  return actions;
}

ConnectionStateMachine::Actions ConnectionStateMachine::onTick(TimePoint now) {
  std::optional<TimePoint> deadline = nextDeadline();
  if (!deadline || now < *deadline) return {};
  switch (state_) {
    case ConnectionState::kBackingOff:
      return openStream(now);
    case ConnectionState::kConnecting:
    case ConnectionState::kSubscribing:
      return backOff(
          Status::deadlineExceeded("no SUBSCRIBED event from " + endpoint_.url() + " within " +
                                   millis(config_.timeouts.subscribeTimeout)),
          now, true);
    case ConnectionState::kSubscribed:
      return backOff(
          Status::unavailable("no event from the master for " +
                              millis(heartbeatInterval_ * config_.timeouts.missedHeartbeats) +
                              " (" + std::to_string(config_.timeouts.missedHeartbeats) +
                              " heartbeat intervals): connection considered dead"),
          now, true);
    default:
      return {};
  }
}

ConnectionStateMachine::Actions ConnectionStateMachine::onResponse(const ResponseInput& in,
                                                                   TimePoint now) {
  if (!current(in.attempt) || state_ != ConnectionState::kConnecting) return {};
  if (in.status == 200) {
    if (in.streamId.empty()) {
      return backOff(Status::unavailable("SUBSCRIBE answered 200 without a Mesos-Stream-Id"), now,
                     true);
    }
    state_ = ConnectionState::kSubscribing;
    streamId_ = in.streamId;
    return {};
  }
  if (in.status == 307) return redirect(in, now);
  if (in.status >= 400 && in.status < 500) return fail(refusal(in), true);
  std::string detail = in.body.empty() ? "" : ": " + in.body;
  return backOff(Status::unavailable("SUBSCRIBE to " + endpoint_.url() + " answered HTTP " +
                                     std::to_string(in.status) + detail),
                 now, true);
}

ConnectionStateMachine::Actions ConnectionStateMachine::redirect(const ResponseInput& in,
                                                                 TimePoint now) {
  Result<MasterEndpoint> leader = resolveRedirect(endpoint_, in.location);
  if (!leader.has_value()) {
    return backOff(leader.error().withContext("307 from " + endpoint_.url()), now, true);
  }
  if (++redirects_ > config_.timeouts.maxRedirects) {
    return backOff(
        Status::unavailable("more than " + std::to_string(config_.timeouts.maxRedirects) +
                            " redirects in a row, last to " + leader->url()),
        now, true);
  }
  Actions actions{action(ConnectionAction::Kind::kCloseStream, attempt_)};
  endpoint_ = std::move(leader).value();
  Actions open = openStream(now);
  actions.insert(actions.end(), open.begin(), open.end());
  return actions;
}

ConnectionStateMachine::Actions ConnectionStateMachine::onSubscribed(const SubscribedInput& in,
                                                                     TimePoint now) {
  if (!current(in.attempt) || state_ != ConnectionState::kSubscribing) return {};
  state_ = ConnectionState::kSubscribed;
  frameworkId_ = in.frameworkId;
  heartbeatInterval_ = in.heartbeatInterval.value_or(config_.timeouts.defaultHeartbeatInterval);
  if (heartbeatInterval_.count() <= 0)
    heartbeatInterval_ = config_.timeouts.defaultHeartbeatInterval;
  lastEvent_ = now;
  backoff_.reset();
  redirects_ = 0;
  lastError_ = Status::ok();
  ConnectionAction a = action(ConnectionAction::Kind::kSubscribed, attempt_);
  a.endpoint = endpoint_;
  a.frameworkId = frameworkId_;
  a.heartbeatInterval = heartbeatInterval_;
  return {a};
}

ConnectionStateMachine::Actions ConnectionStateMachine::onEvent(TimePoint now) {
  if (state_ == ConnectionState::kSubscribed) lastEvent_ = std::max(lastEvent_, now);
  return {};
}

ConnectionStateMachine::Actions ConnectionStateMachine::onErrorEvent(const ErrorEventInput& in) {
  if (!current(in.attempt) || !hasStream(state_)) return {};
  return fail(Status::failedPrecondition("the master sent ERROR: " + in.message), true);
}

ConnectionStateMachine::Actions ConnectionStateMachine::onStreamEnded(const StreamEndedInput& in,
                                                                      TimePoint now) {
  if (!current(in.attempt) || !hasStream(state_)) return {};
  return backOff(Status::unavailable(in.reason), now, false);
}

ConnectionStateMachine::Actions ConnectionStateMachine::openStream(TimePoint now) {
  ++attempt_;
  state_ = ConnectionState::kConnecting;
  streamId_.clear();
  attemptStarted_ = now;
  ConnectionAction a = action(ConnectionAction::Kind::kOpenStream, attempt_);
  a.endpoint = endpoint_;
  a.frameworkId = frameworkId_;
  return {a};
}

void ConnectionStateMachine::noteDisconnect(Actions& actions, const std::string& reason) {
  if (state_ != ConnectionState::kSubscribed) return;
  ConnectionAction a = action(ConnectionAction::Kind::kDisconnected, attempt_);
  a.reason = reason;
  actions.push_back(std::move(a));
}

ConnectionStateMachine::Actions ConnectionStateMachine::backOff(Status why, TimePoint now,
                                                                bool closeStream) {
  Actions actions;
  if (closeStream) actions.push_back(action(ConnectionAction::Kind::kCloseStream, attempt_));
  noteDisconnect(actions, why.message());
  // A leader that cannot even be reached may be gone: ask the configured master again.
  if (state_ != ConnectionState::kSubscribed) endpoint_ = config_.master;
  state_ = ConnectionState::kBackingOff;
  retryAt_ = now + backoff_.next();
  redirects_ = 0;
  streamId_.clear();
  lastError_ = std::move(why);
  return actions;
}

ConnectionStateMachine::Actions ConnectionStateMachine::fail(Status why, bool closeStream) {
  Actions actions;
  if (closeStream) actions.push_back(action(ConnectionAction::Kind::kCloseStream, attempt_));
  noteDisconnect(actions, why.message());
  ConnectionAction failed = action(ConnectionAction::Kind::kFailed, attempt_);
  failed.error = why;
  actions.push_back(std::move(failed));
  state_ = ConnectionState::kFailed;
  streamId_.clear();
  lastError_ = std::move(why);
  return actions;
}

}  // namespace keel::mesos
