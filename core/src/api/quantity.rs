//! Resource quantities (`100m`, `1.5Gi`, `1e3`), parsed and printed as
//! k8s.io/apimachinery/pkg/api/resource/quantity.go does. Values are kept exactly, in
//! nano-units, which covers every suffix from `n` to `Ei`.

#![cfg_attr(not(test), deny(clippy::arithmetic_side_effects))]

use std::cmp::Ordering;
use std::fmt;

/// The suffix family a quantity was written in; printing keeps it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    DecimalSi,
    BinarySi,
    DecimalExponent,
}

#[derive(Clone, Copy, Debug)]
pub struct Quantity {
    /// The value times 10^9. Rounded up at nano precision, as upstream rounds.
    nanos: i128,
    format: Format,
}

pub const REGEX_ERROR: &str =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

const NANO: i128 = 1_000_000_000;
/// `ParseQuantity` caps binary-suffixed quantities at the largest int64 (`maxAllowed`).
const MAX_BINARY_NANOS: i128 = i64::MAX as i128 * NANO;
/// Decimal ones are kept exactly there (inf.Dec); here they saturate at 10^29 units, a round
/// number that still prints canonically, and a billion times any real cluster's total.
const MAX_DECIMAL_NANOS: i128 = 10i128.pow(38);

impl PartialEq for Quantity {
    fn eq(&self, other: &Self) -> bool {
        self.nanos == other.nanos
    }
}
impl Eq for Quantity {}
impl PartialOrd for Quantity {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Quantity {
    fn cmp(&self, other: &Self) -> Ordering {
        self.nanos.cmp(&other.nanos)
    }
}

impl Quantity {
    pub const ZERO: Quantity = Quantity {
        nanos: 0,
        format: Format::DecimalSi,
    };

    pub fn from_milli(m: i64, format: Format) -> Self {
        Quantity {
            nanos: i128::from(m).saturating_mul(1_000_000),
            format,
        }
    }

    pub fn from_value(v: i64, format: Format) -> Self {
        Quantity {
            nanos: i128::from(v).saturating_mul(NANO),
            format,
        }
    }

    pub fn parse(s: &str) -> Result<Quantity, String> {
        if s.is_empty() {
            return Err(REGEX_ERROR.into());
        }
        let (negative, unsigned) = match s.as_bytes().first() {
            Some(b'-') => (true, &s[1..]),
            Some(b'+') => (false, &s[1..]),
            _ => (false, s),
        };
        let num_len = unsigned
            .bytes()
            .take_while(|b| b.is_ascii_digit() || *b == b'.')
            .count();
        let (number, suffix) = unsigned.split_at(num_len);

        if number.is_empty() || !suffix_chars_ok(suffix) {
            return Err(REGEX_ERROR.into());
        }
        let (int_part, frac_part) = match number.split_once('.') {
            Some((a, b)) => (a, b),
            None => (number, ""),
        };
        if frac_part.contains('.') || (int_part.is_empty() && frac_part.is_empty()) {
            return Err("unable to parse numeric part of quantity".into());
        }
        let (format, base, exp10) = parse_suffix(suffix).ok_or("unable to parse quantity's suffix")?;
        let mut nanos = to_nanos(int_part, frac_part, base, exp10).min(MAX_DECIMAL_NANOS);
        let mut format = format;
        if format == Format::BinarySi {
            nanos = nanos.min(MAX_BINARY_NANOS);
            // Below one unit a binary suffix is dropped "to avoid rounding and confusion".
            if nanos < NANO && nanos > 0 {
                format = Format::DecimalSi;
            }
        }
        Ok(Quantity {
            nanos: if negative { nanos.saturating_neg() } else { nanos },
            format,
        })
    }

    /// `Value()`: whole units, rounded up, saturating at the int64 bounds.
    pub fn value(&self) -> i64 {
        saturate_i64(ceil_div(self.nanos, NANO))
    }

    /// `MilliValue()`: thousandths, rounded up, saturating at the int64 bounds.
    ///
    /// Deliberately not Kubernetes 1.35: there `MilliValue()` of `10P` overflows int64 (to 0
    /// for `10P`; kubernetes/kubernetes#128684) and the scheduler then binds a pod that asks
    /// for ten peta-CPUs. Upstream fixed this in 2026 with saturating accessors (PRs 141166 and
    /// 141349); we follow the fix, so such a pod stays Pending with `Insufficient cpu`.
    pub fn milli_value(&self) -> i64 {
        saturate_i64(ceil_div(self.nanos, 1_000_000))
    }

    pub fn is_zero(&self) -> bool {
        self.nanos == 0
    }

    pub fn format(&self) -> Format {
        self.format
    }

    /// Rounds up to milli precision: `SetDefaults_ResourceList` stores every request and limit
    /// this way.
    pub fn round_up_milli(mut self) -> Self {
        self.nanos = ceil_div(self.nanos, 1_000_000).saturating_mul(1_000_000);
        self
    }

    /// Sum; a zero receiver takes the other's format, as `Quantity.Add` does.
    pub fn plus(mut self, other: Quantity) -> Self {
        if self.nanos == 0 {
            self.format = other.format;
        }
        self.nanos = self.nanos.saturating_add(other.nanos);
        self
    }

    pub fn minus(mut self, other: Quantity) -> Self {
        self.nanos = self.nanos.saturating_sub(other.nanos);
        self
    }

    /// Times a count (a pod's containers, a Deployment's replicas), saturating.
    pub fn times(mut self, n: i64) -> Self {
        self.nanos = self.nanos.saturating_mul(i128::from(n));
        self
    }

    /// The canonical text, as `Quantity.String()` prints it.
    pub fn canonical(&self) -> String {
        if self.nanos == 0 {
            return "0".into();
        }
        let sign = if self.nanos < 0 { "-" } else { "" };
        let abs = self.nanos.abs();
        if self.format == Format::BinarySi && abs % NANO == 0 && abs >= 1024 * NANO {
            let mut v = abs / NANO;
            let mut unit: usize = 0;
            while unit < 6 && v % 1024 == 0 {
                v /= 1024;
                unit = unit.saturating_add(1);
            }
            const UNITS: [&str; 7] = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
            return format!("{sign}{v}{}", UNITS[unit]);
        }
        // Decimal: the largest power of 1000 that leaves an integer mantissa.
        let mut exp = -9i32;
        let mut mantissa = abs;
        while (exp < 18 || self.format == Format::DecimalExponent) && mantissa % 1000 == 0 {
            mantissa /= 1000;
            exp = exp.saturating_add(3);
        }
        if self.format == Format::DecimalExponent {
            return if exp == 0 {
                format!("{sign}{mantissa}")
            } else {
                format!("{sign}{mantissa}e{exp}")
            };
        }
        let suffix = match exp {
            -9 => "n",
            -6 => "u",
            -3 => "m",
            0 => "",
            3 => "k",
            6 => "M",
            9 => "G",
            12 => "T",
            15 => "P",
            _ => "E",
        };
        format!("{sign}{mantissa}{suffix}")
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.canonical())
    }
}

/// `a / b` rounded towards positive infinity; `b` is a positive power of ten here.
fn ceil_div(a: i128, b: i128) -> i128 {
    let q = a.checked_div(b).unwrap_or(0);
    let exact = a.checked_rem(b).is_none_or(|r| r == 0);
    if !exact && a > 0 { q.saturating_add(1) } else { q }
}

fn saturate_i64(v: i128) -> i64 {
    i64::try_from(v).unwrap_or(if v < 0 { i64::MIN } else { i64::MAX })
}

/// The value of `int_part.frac_part × base × 10^exp10` in nano-units, rounded up to a nano
/// as `ParseQuantity` rounds, saturating at i128. Any number of digits is accepted: those that cannot matter below the cap are dropped and
/// only remembered as "something was there" for the rounding.
fn to_nanos(int_part: &str, frac_part: &str, base: i128, exp10: i32) -> i128 {
    let digits: Vec<u8> = int_part
        .bytes()
        .chain(frac_part.bytes())
        .skip_while(|c| *c == b'0')
        .map(|c| c.saturating_sub(b'0'))
        .collect();
    // Keep as many leading digits as fit in an i128 once multiplied by the base.
    let mut keep = 0usize;
    let mut limit: i128 = 1;
    while keep < digits.len() {
        match limit.checked_mul(10).and_then(|l| l.checked_mul(base)) {
            Some(_) => {
                limit = limit.saturating_mul(10);
                keep = keep.saturating_add(1);
            }
            None => break,
        }
    }
    let (kept, dropped) = digits.split_at(keep);
    let sticky = dropped.iter().any(|d| *d != 0);
    let mantissa = kept
        .iter()
        .fold(0i128, |m, d| m.saturating_mul(10).saturating_add(i128::from(*d)));
    let mut nanos = mantissa.saturating_mul(base);
    // The power of ten still to apply: exponent, the dropped digits, nano scaling, the fraction.
    let scale = i64::from(exp10)
        .saturating_add(9)
        .saturating_add(i64::try_from(dropped.len()).unwrap_or(i64::MAX))
        .saturating_sub(i64::try_from(frac_part.len()).unwrap_or(i64::MAX));
    if scale >= 0 {
        let mut s = 0;
        while s < scale && nanos != 0 && nanos < i128::MAX {
            nanos = nanos.saturating_mul(10);
            s = s.saturating_add(1);
        }
        if sticky {
            nanos = nanos.saturating_add(1);
        }
    } else {
        // Divide by 10^-scale, rounding up what is finer than a nano.
        let mut rest = false;
        let mut s = scale;
        while s < 0 && nanos != 0 {
            rest |= nanos % 10 != 0;
            nanos /= 10;
            s = s.saturating_add(1);
        }
        if rest || sticky {
            nanos = nanos.saturating_add(1);
        }
    }
    nanos
}

fn suffix_chars_ok(s: &str) -> bool {
    // [eEinumkKMGTP]*[-+]?[0-9]*
    let rest = s.trim_start_matches(|c| "eEinumkKMGTP".contains(c));
    let rest = rest.strip_prefix(['-', '+']).unwrap_or(rest);
    rest.bytes().all(|b| b.is_ascii_digit())
}

/// (format, binary multiplier, decimal exponent) of a suffix.
fn parse_suffix(s: &str) -> Option<(Format, i128, i32)> {
    let dec = |e| Some((Format::DecimalSi, 1, e));
    let bin = |p: u32| Some((Format::BinarySi, 1024i128.pow(p), 0));
    match s {
        "" => dec(0),
        "n" => dec(-9),
        "u" => dec(-6),
        "m" => dec(-3),
        "k" => dec(3),
        "M" => dec(6),
        "G" => dec(9),
        "T" => dec(12),
        "P" => dec(15),
        "E" => dec(18),
        "Ki" => bin(1),
        "Mi" => bin(2),
        "Gi" => bin(3),
        "Ti" => bin(4),
        "Pi" => bin(5),
        "Ei" => bin(6),
        _ => {
            let rest = s.strip_prefix(['e', 'E'])?;
            let e: i32 = rest.parse().ok()?;
            if !(-30..=30).contains(&e) {
                return None;
            }
            Some((Format::DecimalExponent, 1, e))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(s: &str) -> String {
        Quantity::parse(s).unwrap().canonical()
    }

    /// Vectors from apimachinery pkg/api/resource/quantity_test.go (TestQuantityParseEmit).
    #[test]
    fn canonical_forms() {
        assert_eq!(canon("1024Mi"), "1Gi");
        assert_eq!(canon("1000M"), "1G");
        assert_eq!(canon(".001Ki"), "1024m");
        assert_eq!(canon("1001Gi"), "1001Gi");
        assert_eq!(canon("5"), "5");
        assert_eq!(canon("0.5"), "500m");
        assert_eq!(canon("1080m"), "1080m");
        assert_eq!(canon("1025"), "1025");
        assert_eq!(canon("1e3"), "1e3");
        assert_eq!(canon("3000"), "3k");
        assert_eq!(canon("0"), "0");
        assert_eq!(canon("0.5Gi"), "512Mi");
        assert_eq!(canon("1.5Gi"), "1536Mi");
        assert_eq!(canon("200Mi"), "200Mi");
        assert_eq!(canon("100.035k"), "100035");
        assert_eq!(canon("3.001n"), "4n");
    }

    /// A quantity with 48 zeros after the point panicked (`nanos + div - 1` once `div`
    /// saturated); it is one nano, rounded up as ParseQuantity rounds.
    #[test]
    fn tiny_and_huge_quantities_do_not_overflow() {
        let tiny = format!("0.{}1", "0".repeat(48));
        assert_eq!(canon(&tiny), "1n");
        assert_eq!(canon(&format!("0.{}1", "0".repeat(5000))), "1n");
        // Binary quantities are capped at the largest int64, decimal ones are not (quantity.go).
        assert_eq!(canon("8Ei"), "9223372036854775807");
        assert_eq!(canon("7Ei"), "7Ei");
        assert_eq!(canon("1e28"), "10e27");
        assert_eq!(canon("1e30"), "100e27");
        assert_eq!(canon("1000E"), "1000E");
        assert_eq!(canon(&format!("1{}", "0".repeat(40))), "100000000000E");
        assert_eq!(canon("10P"), "10P");
        assert_eq!(canon("0.0001Ki"), "102400u");
        assert_eq!(
            canon(&format!("1{}", "0".repeat(400))),
            canon(&format!("1{}", "0".repeat(401)))
        );
        assert_eq!(canon(&format!("1.{}1Ki", "0".repeat(60))), "1024000000001n");
        assert_eq!(canon(&format!("{}.5", "0".repeat(300))), "500m");
        assert_eq!(canon("-0.5"), "-500m");
    }

    /// `MilliValue()` of `10P` overflowed int64 upstream (kubernetes#128684); it saturates.
    #[test]
    fn accessors_saturate() {
        let big = Quantity::parse("10P").unwrap();
        assert_eq!(big.value(), 10_000_000_000_000_000);
        assert_eq!(big.milli_value(), i64::MAX);
        assert_eq!(Quantity::parse("8Ei").unwrap().value(), i64::MAX);
        assert_eq!(Quantity::parse("-10P").unwrap().milli_value(), i64::MIN);
        assert_eq!(Quantity::parse("8Ei").unwrap().times(i64::MAX).value(), i64::MAX);
    }

    #[test]
    fn invalid_quantities() {
        for bad in ["1.1.M", "0.1mi", "aoeu", ".5i", "1i", " 1", "1 ", ""] {
            assert!(Quantity::parse(bad).is_err(), "{bad} should fail");
        }
    }

    #[test]
    fn accessors_round_up() {
        assert_eq!(Quantity::parse("100m").unwrap().milli_value(), 100);
        assert_eq!(Quantity::parse("100m").unwrap().value(), 1);
        assert_eq!(Quantity::parse("100u").unwrap().round_up_milli().canonical(), "1m");
        assert_eq!(Quantity::parse("1Gi").unwrap().value(), 1 << 30);
    }
}
