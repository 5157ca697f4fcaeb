//! Cron schedules as the CronJob controller reads them (robfig/cron v3 `ParseStandard`): five
//! fields (minute, hour, day of month, month, day of week) with `*`, `?`, lists, ranges,
//! steps and names (`JAN`, `MON`), or a descriptor (`@hourly`, `@daily`, `@every 5m` is not
//! standard and refused). Day of month and day of week combine as cron does: if either is
//! restricted, a day matching either one runs. Times are walked in the CronJob's
//! `spec.timeZone` (UTC when unset, as kind's controller manager runs in UTC) the way robfig's
//! `SpecSchedule.Next` walks them: whole days in the zone, then absolute hours, then minutes,
//! so a time inside a spring-forward gap is skipped that day and one in a fall-back hour can
//! run twice. Zones come from the IANA database bundled into the binary (jiff's
//! `tzdb-bundle-always`), the same natively and in the browser, as the API server and
//! controller manager embed Go's `time/tzdata`.

#![cfg_attr(not(test), deny(clippy::arithmetic_side_effects))]

use k8s_openapi::jiff::Timestamp;
use k8s_openapi::jiff::tz::TimeZone;

#[derive(Clone, Debug, PartialEq)]
pub struct Schedule {
    minutes: u64,
    hours: u64,
    days: u64,
    months: u64,
    weekdays: u64,
    /// Whether day of month or day of week was given as `*`.
    dom_star: bool,
    dow_star: bool,
    /// The zone of a `TZ=`/`CRON_TZ=` prefix.
    zone: Option<TimeZone>,
}

/// `time.LoadLocation` of a zone name, with Go's error text.
pub fn load_location(name: &str) -> Result<TimeZone, String> {
    match name {
        "" | "UTC" => Ok(TimeZone::UTC),
        n => TimeZone::get(n).map_err(|_| format!("unknown time zone {n}")),
    }
}

const MONTHS: &[&str] = &[
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
const DAYS: &[&str] = &["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

fn value(s: &str, min: u32, names: &[&str], name_base: u32) -> Result<u32, String> {
    if let Some(i) = names.iter().position(|n| n.eq_ignore_ascii_case(s)) {
        return Ok(u32::try_from(i).unwrap_or(0).saturating_add(name_base));
    }
    s.parse::<u32>()
        .map_err(|_| format!("failed to parse int from {s}: strconv.Atoi: parsing {s:?}: invalid syntax"))
        .and_then(|v| {
            if v < min {
                Err(format!("beginning of range ({v}) below minimum ({min}): {s}"))
            } else {
                Ok(v)
            }
        })
}

/// One field: a bit set of the values it allows, and whether it was `*`.
fn field(expr: &str, min: u32, max: u32, names: &[&str], name_base: u32) -> Result<(u64, bool), String> {
    let mut bits = 0u64;
    let mut star = false;
    for part in expr.split(',') {
        let (range, step) = match part.split_once('/') {
            Some((r, s)) => (
                r,
                Some(s.parse::<u32>().map_err(|_| {
                    format!("failed to parse int from {s}: strconv.Atoi: parsing {s:?}: invalid syntax")
                })?),
            ),
            None => (part, None),
        };
        let (lo, hi) = if range == "*" || range == "?" {
            star = step.is_none();
            (min, max)
        } else if let Some((a, b)) = range.split_once('-') {
            (value(a, min, names, name_base)?, value(b, min, names, name_base)?)
        } else {
            let v = value(range, min, names, name_base)?;
            (v, if step.is_some() { max } else { v })
        };
        if hi > max {
            return Err(format!("end of range ({hi}) above maximum ({max}): {part}"));
        }
        if lo > hi {
            return Err(format!("beginning of range ({lo}) beyond end of range ({hi}): {part}"));
        }
        let step = step.unwrap_or(1);
        if step == 0 {
            return Err(format!("step of range should be a positive number: {part}"));
        }
        let mut v = lo;
        while v <= hi {
            bits |= 1u64.checked_shl(v).unwrap_or(0);
            v = v.saturating_add(step);
        }
    }
    Ok((bits, star))
}

impl Schedule {
    pub fn parse(spec: &str) -> Result<Schedule, String> {
        let mut spec = spec.trim();
        let mut zone = None;
        if spec.starts_with("TZ=") || spec.starts_with("CRON_TZ=") {
            let end = spec.find(' ').unwrap_or(spec.len());
            let name = spec.get(..end).and_then(|p| p.split_once('=')).map_or("", |(_, n)| n);
            zone = Some(load_location(name).map_err(|e| format!("provided bad location {name}: {e}"))?);
            spec = spec.get(end..).unwrap_or("").trim();
        }
        let expanded = match spec {
            "@yearly" | "@annually" => "0 0 1 1 *",
            "@monthly" => "0 0 1 * *",
            "@weekly" => "0 0 * * 0",
            "@daily" | "@midnight" => "0 0 * * *",
            "@hourly" => "0 * * * *",
            s if s.starts_with('@') => return Err(format!("unrecognized descriptor: {s}")),
            s => s,
        };
        let fields: Vec<&str> = expanded.split_whitespace().collect();
        if fields.len() != 5 {
            return Err(format!(
                "expected exactly 5 fields, found {}: [{}]",
                fields.len(),
                fields.join(" ")
            ));
        }
        let (minutes, _) = field(fields[0], 0, 59, &[], 0)?;
        let (hours, _) = field(fields[1], 0, 23, &[], 0)?;
        let (days, dom_star) = field(fields[2], 1, 31, &[], 0)?;
        let (months, _) = field(fields[3], 1, 12, MONTHS, 1)?;
        let (mut weekdays, dow_star) = field(fields[4], 0, 7, DAYS, 0)?;
        // 7 is Sunday too.
        if weekdays & (1 << 7) != 0 {
            weekdays |= 1;
        }
        Ok(Schedule {
            minutes,
            hours,
            days,
            months,
            weekdays,
            dom_star,
            dow_star,
            zone,
        })
    }

    fn day_matches(&self, day: u32, weekday: u32) -> bool {
        let dom = self.days & (1u64 << day) != 0;
        let dow = self.weekdays & (1u64 << weekday) != 0;
        if self.dom_star || self.dow_star {
            dom && dow
        } else {
            dom || dow
        }
    }

    /// The first scheduled minute strictly after `after` (seconds since the Unix epoch), walked
    /// in `tz` (or the schedule's own `TZ=` zone), within five years; None if the schedule
    /// never fires (such as 30 February).
    pub fn next(&self, after: i64, tz: &TimeZone) -> Option<i64> {
        let tz = self.zone.as_ref().unwrap_or(tz);
        let mut t = after.div_euclid(60).checked_add(1)?.checked_mul(60)?;
        let limit = after.checked_add(5 * 366 * 86_400)?;
        while t <= limit {
            let z = Timestamp::from_second(t).ok()?.to_zoned(tz.clone());
            let (month, day, hour, minute) = (z.month(), z.day(), z.hour(), z.minute());
            let weekday = u32::from(z.weekday().to_sunday_zero_offset().unsigned_abs());
            let month_bit = 1u64 << u32::from(month.unsigned_abs());
            if self.months & month_bit == 0 || !self.day_matches(u32::from(day.unsigned_abs()), weekday) {
                // The next day's first instant in the zone (not always 24 h away).
                let tomorrow = z.date().tomorrow().ok()?.to_zoned(tz.clone()).ok()?;
                t = tomorrow.start_of_day().ok()?.timestamp().as_second();
                continue;
            }
            if self.hours & (1u64 << u32::from(hour.unsigned_abs())) == 0 {
                // The top of this hour plus one absolute hour, as robfig's `t.Add(time.Hour)`.
                t = t.checked_sub(i64::from(minute).saturating_mul(60))?.checked_add(3600)?;
                continue;
            }
            if self.minutes & (1u64 << u32::from(minute.unsigned_abs())) == 0 {
                t = t.checked_add(60)?;
                continue;
            }
            return Some(t);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2026-01-01T00:00:00Z, a Thursday.
    const T0: i64 = 1_767_225_600;

    #[test]
    fn next_times() {
        let utc = &TimeZone::UTC;
        let every = Schedule::parse("*/1 * * * *").unwrap();
        assert_eq!(every.next(T0, utc), Some(T0 + 60));
        assert_eq!(every.next(T0 + 30, utc), Some(T0 + 60));
        let quarter = Schedule::parse("*/15 * * * *").unwrap();
        assert_eq!(quarter.next(T0 + 60, utc), Some(T0 + 15 * 60));
        let nightly = Schedule::parse("30 2 * * *").unwrap();
        assert_eq!(nightly.next(T0, utc), Some(T0 + 2 * 3600 + 30 * 60));
        let monday = Schedule::parse("0 9 * * MON").unwrap();
        assert_eq!(monday.next(T0, utc), Some(T0 + 4 * 86_400 + 9 * 3600));
        assert_eq!(Schedule::parse("@hourly").unwrap().next(T0, utc), Some(T0 + 3600));
        assert_eq!(Schedule::parse("0 0 30 2 *").unwrap().next(T0, utc), None);
    }

    #[test]
    fn zones_walk_their_own_days_and_clock_changes() {
        let berlin = load_location("Europe/Berlin").unwrap();
        // 09:00 in Berlin in January is 08:00 UTC.
        let nine = Schedule::parse("0 9 * * *").unwrap();
        assert_eq!(nine.next(T0, &berlin), Some(T0 + 8 * 3600));
        // 2026-03-08 is the spring-forward day in New York: 02:30 does not exist and is skipped.
        let ny = load_location("America/New_York").unwrap();
        let mar7 = 1_772_841_600; // 2026-03-07T00:00:00Z
        let half_two = Schedule::parse("30 2 * * *").unwrap();
        let first = half_two.next(mar7, &ny).unwrap();
        assert_eq!(first, mar7 + 7 * 3600 + 30 * 60); // 2026-03-07T02:30-05:00
        assert_eq!(half_two.next(first, &ny), Some(first + 2 * 86_400 - 3600)); // 03-09 02:30 EDT
        // A schedule's own zone wins over the CronJob's.
        let own = Schedule::parse("CRON_TZ=Europe/Berlin 0 9 * * *").unwrap();
        assert_eq!(own.next(T0, &TimeZone::UTC), Some(T0 + 8 * 3600));
        assert_eq!(
            load_location("Mars/Olympus").unwrap_err(),
            "unknown time zone Mars/Olympus"
        );
    }

    #[test]
    fn errors_read_as_robfig_cron_writes_them() {
        assert_eq!(
            Schedule::parse("not a schedule").unwrap_err(),
            "expected exactly 5 fields, found 3: [not a schedule]"
        );
        assert!(
            Schedule::parse("61 * * * *")
                .unwrap_err()
                .contains("above maximum (59)")
        );
    }
}
