//! Virtual time. The core never reads a wall clock: every timestamp is the cluster epoch plus a
//! number of simulated milliseconds, so a replay with the same seed prints the same dates.

#![cfg_attr(not(test), deny(clippy::arithmetic_side_effects))]

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use k8s_openapi::jiff::{SignedDuration, Timestamp};

/// Milliseconds of virtual time since [`EPOCH_SECONDS`].
pub type Millis = u64;

pub const SECOND: Millis = 1_000;
pub const MINUTE: Millis = 60 * SECOND;

/// The instant virtual time 0 stands for: 2026-01-01T00:00:00Z. Fixed so transcripts are stable.
pub const EPOCH_SECONDS: i64 = 1_767_225_600;

/// The API timestamp for a virtual instant. Kubernetes serialises `metav1.Time` at second
/// precision, so sub-second parts are dropped exactly as a real API server would drop them.
pub fn api_time(at: Millis) -> Time {
    let secs = EPOCH_SECONDS.saturating_add(crate::num::i64_of(at / SECOND));
    Time(Timestamp::from_second(secs).unwrap_or(Timestamp::UNIX_EPOCH))
}

/// The virtual instant of an API timestamp (second precision), saturating at 0.
pub fn from_api_time(t: &Time) -> Millis {
    let secs = t.0.as_second().saturating_sub(EPOCH_SECONDS);
    crate::num::u64_clamped(secs).saturating_mul(SECOND)
}

/// `n` seconds of virtual time, saturating: durations from manifests and flags can be huge.
pub fn seconds(n: i64) -> Millis {
    crate::num::u64_clamped(n).saturating_mul(SECOND)
}

/// Elapsed time from an API timestamp to a virtual instant, as a signed duration. Negative
/// values happen only for timestamps a user wrote into a manifest.
pub fn since(t: &Time, now: Millis) -> SignedDuration {
    let now_ts = Timestamp::from_second(EPOCH_SECONDS.saturating_add(crate::num::i64_of(now / SECOND)))
        .unwrap_or(Timestamp::UNIX_EPOCH);
    now_ts.duration_since(t.0)
}

/// Go's `time.Duration.String()` for whole milliseconds: `10s`, `1m20s`, `5m0s`, `1.234s`,
/// `612ms`. Kubelet messages such as back-off and pull times print durations this way.
pub fn go_duration(ms: Millis) -> String {
    if ms == 0 {
        return "0s".into();
    }
    if ms < SECOND {
        return format!("{ms}ms");
    }
    let h = ms / (60 * MINUTE);
    let m = (ms / MINUTE) % 60;
    let s = (ms / SECOND) % 60;
    let frac = ms % SECOND;
    let mut secs = s.to_string();
    if frac != 0 {
        let f = format!("{frac:03}");
        secs.push('.');
        secs.push_str(f.trim_end_matches('0'));
    }
    match (h, m) {
        (0, 0) => format!("{secs}s"),
        (0, m) => format!("{m}m{secs}s"),
        (h, m) => format!("{h}h{m}m{secs}s"),
    }
}

/// A `sleep` operand as GNU and busybox `sleep` read it: seconds, fractions allowed, with an
/// optional `s`, `m`, `h` or `d` suffix; `inf`/`infinity` is forever (`Millis::MAX`).
pub fn parse_sleep(a: &str) -> Option<Millis> {
    if a == "inf" || a == "infinity" {
        return Some(Millis::MAX);
    }
    let mult = match a.chars().last()? {
        's' => 1.0,
        'm' => 60.0,
        'h' => 3600.0,
        'd' => 86400.0,
        _ => 0.0,
    };
    let (num, mult) = match a.strip_suffix(['s', 'm', 'h', 'd']) {
        Some(num) => (num, mult),
        None => (a, 1.0),
    };
    let v: f64 = num.parse().ok()?;
    if !v.is_finite() || v < 0.0 {
        return None;
    }
    // Float-to-integer casts saturate, so a huge sleep is simply very long.
    Some(crate::num::u64_of_f64(v * mult * 1000.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_duration_matches_time_duration_string() {
        assert_eq!(go_duration(10 * SECOND), "10s");
        assert_eq!(go_duration(80 * SECOND), "1m20s");
        assert_eq!(go_duration(160 * SECOND), "2m40s");
        assert_eq!(go_duration(300 * SECOND), "5m0s");
        assert_eq!(go_duration(1_234), "1.234s");
        assert_eq!(go_duration(1_200), "1.2s");
        assert_eq!(go_duration(612), "612ms");
        assert_eq!(go_duration(3_600 * SECOND + 1_000), "1h0m1s");
    }

    #[test]
    fn sleep_operands() {
        assert_eq!(parse_sleep("10"), Some(10_000));
        assert_eq!(parse_sleep("1m"), Some(60_000));
        assert_eq!(parse_sleep("0.5"), Some(500));
        assert_eq!(parse_sleep("infinity"), Some(Millis::MAX));
        assert_eq!(parse_sleep("1e300"), Some(Millis::MAX));
        assert_eq!(parse_sleep("x"), None);
        assert_eq!(parse_sleep("-1"), None);
    }

    #[test]
    fn api_time_is_second_precision() {
        let t = api_time(1_999);
        assert_eq!(from_api_time(&t), 1_000);
        assert_eq!(since(&t, 5_500).as_secs(), 4);
    }
}
