//! `duration.HumanDuration` of k8s.io/apimachinery/pkg/util/duration: the AGE column.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;

use crate::sim::clock::{Millis, since};

pub fn human(d_secs: i64) -> String {
    if d_secs < -1 {
        return "<invalid>".into();
    }
    if d_secs < 0 {
        return "0s".into();
    }
    if d_secs < 120 {
        return format!("{d_secs}s");
    }
    let minutes = d_secs / 60;
    if minutes < 10 {
        let s = d_secs % 60;
        return if s == 0 {
            format!("{minutes}m")
        } else {
            format!("{minutes}m{s}s")
        };
    }
    if minutes < 180 {
        return format!("{minutes}m");
    }
    let hours = minutes / 60;
    if hours < 8 {
        let m = minutes % 60;
        return if m == 0 {
            format!("{hours}h")
        } else {
            format!("{hours}h{m}m")
        };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    if hours < 24 * 8 {
        let h = hours % 24;
        return if h == 0 {
            format!("{}d", hours / 24)
        } else {
            format!("{}d{h}h", hours / 24)
        };
    }
    if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    }
    if hours < 24 * 365 * 8 {
        let dy = (hours / 24) % 365;
        return if dy == 0 {
            format!("{}y", hours / 24 / 365)
        } else {
            format!("{}y{dy}d", hours / 24 / 365)
        };
    }
    format!("{}y", hours / 24 / 365)
}

/// `translateTimestampSince`: `<unknown>` for a missing timestamp.
pub fn since_time(t: Option<&Time>, now: Millis) -> String {
    match t {
        Some(t) => human(since(t, now).as_secs()),
        None => "<unknown>".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::human;

    #[test]
    fn thresholds() {
        assert_eq!(human(0), "0s");
        assert_eq!(human(119), "119s");
        assert_eq!(human(125), "2m5s");
        assert_eq!(human(600), "10m");
        assert_eq!(human(179 * 60), "179m");
        assert_eq!(human(3 * 3600 + 7 * 60), "3h7m");
        assert_eq!(human(47 * 3600), "47h");
        assert_eq!(human(51 * 3600), "2d3h");
        assert_eq!(human(729 * 86400), "729d");
    }
}
