//! Resource quantities (`100m`, `1.5Gi`, `1e3`), parsed and printed as
//! k8s.io/apimachinery/pkg/api/resource/quantity.go does. Values are kept exactly, in
//! nano-units, which covers every suffix from `n` to `Ei`.

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
/// Saturation bound: upstream caps at the largest int64 with a scale, far above any node.
const MAX_NANOS: i128 = i64::MAX as i128 * NANO;

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
            nanos: m as i128 * 1_000_000,
            format,
        }
    }

    pub fn from_value(v: i64, format: Format) -> Self {
        Quantity {
            nanos: v as i128 * NANO,
            format,
        }
    }

    pub fn parse(s: &str) -> Result<Quantity, String> {
        if s.is_empty() {
            return Err(REGEX_ERROR.into());
        }
        let bytes = s.as_bytes();
        let mut i = 0;
        let negative = match bytes[0] {
            b'-' => {
                i = 1;
                true
            }
            b'+' => {
                i = 1;
                false
            }
            _ => false,
        };
        let num_start = i;
        while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'.') {
            i += 1;
        }
        let number = &s[num_start..i];
        let suffix = &s[i..];
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
        // value = digits / 10^frac_len * base * 10^exp10, in nanos: * 10^9
        let digits: String = format!("{int_part}{frac_part}");
        let digits = digits.trim_start_matches('0');
        let mut mantissa: i128 = 0;
        for c in digits.bytes() {
            mantissa = mantissa.saturating_mul(10).saturating_add((c - b'0') as i128);
        }
        let scale = 9 + exp10 - frac_part.len() as i32;
        let mut nanos = mantissa.saturating_mul(base);
        if scale >= 0 {
            for _ in 0..scale {
                nanos = nanos.saturating_mul(10);
            }
        } else {
            let mut div: i128 = 1;
            for _ in 0..(-scale) {
                div = div.saturating_mul(10);
            }
            // Round up what is finer than a nano, as upstream does.
            nanos = (nanos + div - 1) / div;
        }
        let nanos = nanos.min(MAX_NANOS);
        Ok(Quantity {
            nanos: if negative { -nanos } else { nanos },
            format,
        })
    }

    /// `Value()`: whole units, rounded up.
    pub fn value(&self) -> i64 {
        ceil_div(self.nanos, NANO) as i64
    }

    /// `MilliValue()`: thousandths, rounded up.
    pub fn milli_value(&self) -> i64 {
        ceil_div(self.nanos, 1_000_000) as i64
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
        self.nanos = ceil_div(self.nanos, 1_000_000) * 1_000_000;
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

    /// The canonical text, as `Quantity.String()` prints it.
    pub fn canonical(&self) -> String {
        if self.nanos == 0 {
            return "0".into();
        }
        let sign = if self.nanos < 0 { "-" } else { "" };
        let abs = self.nanos.abs();
        if self.format == Format::BinarySi && abs % NANO == 0 && abs >= 1024 * NANO {
            let mut v = abs / NANO;
            let mut unit = 0;
            while unit < 6 && v % 1024 == 0 {
                v /= 1024;
                unit += 1;
            }
            const UNITS: [&str; 7] = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
            return format!("{sign}{v}{}", UNITS[unit]);
        }
        // Decimal: the largest power of 1000 that leaves an integer mantissa.
        let mut exp = -9i32;
        let mut mantissa = abs;
        while exp < 18 && mantissa % 1000 == 0 {
            mantissa /= 1000;
            exp += 3;
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

fn ceil_div(a: i128, b: i128) -> i128 {
    let q = a / b;
    if a % b != 0 && (a > 0) == (b > 0) { q + 1 } else { q }
}

fn suffix_chars_ok(s: &str) -> bool {
    // [eEinumkKMGTP]*[-+]?[0-9]*
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && b"eEinumkKMGTP".contains(&b[i]) {
        i += 1;
    }
    if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
        i += 1;
    }
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    i == b.len()
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
