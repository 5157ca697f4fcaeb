//! Total conversions between the integer types that user numbers pass through. An `as` cast
//! truncates or wraps silently, which no overflow check can catch at run time; the core denies
//! such casts (see lib.rs) and converts here instead, saturating at the target's bounds.

#![cfg_attr(not(test), deny(clippy::arithmetic_side_effects))]

/// A count or length as u64 (never truncates on the targets we build for).
pub fn u64_of(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

/// A u64 (a random index, a count) as a usize, saturating on 32-bit targets such as wasm32.
pub fn usize_of(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

/// An unsigned value as i64, saturating.
pub fn i64_of(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A signed value as u64, negative values taken as 0.
pub fn u64_clamped(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// A finite or infinite float as u64, rounded, saturating; NaN is 0. Rust's float-to-integer
/// casts are defined to saturate this way, which is the behaviour wanted here.
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
pub fn u64_of_f64(v: f64) -> u64 {
    v.round() as u64
}

/// A float as i64, truncated towards zero, saturating; NaN is 0 (a defined `as` cast).
#[allow(clippy::cast_possible_truncation)]
pub fn i64_of_f64(v: f64) -> i64 {
    v as i64
}

/// A count or length as i32 (a replica count), saturating.
pub fn i32_of(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// A replica count (never negative once validated) as usize, negative values taken as 0.
pub fn usize_of_i32(n: i32) -> usize {
    usize::try_from(n).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_saturate() {
        assert_eq!(i64_of(u64::MAX), i64::MAX);
        assert_eq!(u64_clamped(-5), 0);
        assert_eq!(u64_of_f64(1e300), u64::MAX);
        assert_eq!(u64_of_f64(f64::NAN), 0);
        assert_eq!(u64_of_f64(-3.0), 0);
        assert_eq!(i64_of_f64(-1e300), i64::MIN);
        assert_eq!(usize_of(7), 7);
    }
}
