//! Dates, periods and horizons, resolved to intervals.
//!
//! A target is a day (`2027-03-15`), a month (`"2027-03"`), a quarter
//! (`"2027-Q1"`), a half (`"2027-H1"`), a year (`"2027"`), or a horizon
//! (`"now"`, `"next"`, `"later"`). Each resolves to a half-open interval
//! `[start, end)`; horizons resolve relative to a reference date ("today"):
//! `now` is the quarter holding it, `next` the two quarters after, `later`
//! everything after that (open-ended).

use jiff::ToSpan;
use jiff::civil::Date;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Horizon {
    Now,
    Next,
    Later,
}

impl Horizon {
    pub fn as_str(self) -> &'static str {
        match self {
            Horizon::Now => "now",
            Horizon::Next => "next",
            Horizon::Later => "later",
        }
    }
}

/// How precise a [`DateSpec`] is, finest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Precision {
    Day,
    Month,
    Quarter,
    Half,
    Year,
    Horizon,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DateSpec {
    Day(Date),
    Month { year: i16, month: i8 },
    Quarter { year: i16, quarter: i8 },
    Half { year: i16, half: i8 },
    Year(i16),
    Horizon(Horizon),
}

/// A half-open interval `[start, end)`; `end == None` is open-ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Interval {
    pub start: Date,
    pub end: Option<Date>,
}

impl Interval {
    /// True when `self` lies inside `other`.
    pub fn within(&self, other: &Interval) -> bool {
        let end_ok = match (self.end, other.end) {
            (_, None) => true,
            (None, Some(_)) => false,
            (Some(a), Some(b)) => a <= b,
        };
        self.start >= other.start && end_ok
    }
}

/// The forms a date string may take, for error messages.
pub const DATE_FORMS: &str = "a date (2027-03-15) or \"YYYY-MM\", \"YYYY-Qn\", \"YYYY-Hn\", \"YYYY\", \"now\", \"next\", \"later\"";

impl DateSpec {
    /// Parse the string forms (a TOML date value goes through [`DateSpec::Day`]).
    pub fn parse(s: &str) -> Result<DateSpec, String> {
        let bad = || format!("invalid date `{s}`: expected {DATE_FORMS}");
        match s {
            "now" => return Ok(DateSpec::Horizon(Horizon::Now)),
            "next" => return Ok(DateSpec::Horizon(Horizon::Next)),
            "later" => return Ok(DateSpec::Horizon(Horizon::Later)),
            _ => {}
        }
        let year = |t: &str| -> Result<i16, String> {
            if t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()) {
                t.parse::<i16>().map_err(|_| bad())
            } else {
                Err(bad())
            }
        };
        let b = s.as_bytes();
        match b.len() {
            4 => Ok(DateSpec::Year(year(s)?)),
            7 if b[4] == b'-' => {
                let y = year(&s[..4])?;
                let rest = &s[5..];
                match rest.as_bytes() {
                    [b'Q', q @ b'1'..=b'4'] => Ok(DateSpec::Quarter {
                        year: y,
                        quarter: (q - b'0') as i8,
                    }),
                    [b'H', h @ b'1'..=b'2'] => Ok(DateSpec::Half {
                        year: y,
                        half: (h - b'0') as i8,
                    }),
                    [m1 @ b'0'..=b'1', m2 @ b'0'..=b'9'] => {
                        let m = ((m1 - b'0') * 10 + (m2 - b'0')) as i8;
                        if (1..=12).contains(&m) {
                            Ok(DateSpec::Month { year: y, month: m })
                        } else {
                            Err(format!("invalid month in `{s}`: months are 01 to 12"))
                        }
                    }
                    _ => Err(bad()),
                }
            }
            10 if b[4] == b'-' && b[7] == b'-' => {
                let d: Date = s
                    .parse()
                    .map_err(|_| format!("invalid date `{s}`: no such day"))?;
                Ok(DateSpec::Day(d))
            }
            _ => Err(bad()),
        }
    }

    pub fn precision(&self) -> Precision {
        match self {
            DateSpec::Day(_) => Precision::Day,
            DateSpec::Month { .. } => Precision::Month,
            DateSpec::Quarter { .. } => Precision::Quarter,
            DateSpec::Half { .. } => Precision::Half,
            DateSpec::Year(_) => Precision::Year,
            DateSpec::Horizon(_) => Precision::Horizon,
        }
    }

    pub fn is_horizon(&self) -> bool {
        matches!(self, DateSpec::Horizon(_))
    }

    /// The interval this target covers, with horizons resolved against `today`.
    pub fn interval(&self, today: Date) -> Interval {
        let ym = |y: i16, m: i8| Date::new(y, m, 1).unwrap_or(Date::MAX);
        let add_months = |d: Date, n: i32| d.checked_add(n.months()).ok();
        let (start, end) = match *self {
            DateSpec::Day(d) => (d, d.tomorrow().ok()),
            DateSpec::Month { year, month } => {
                let s = ym(year, month);
                (s, add_months(s, 1))
            }
            DateSpec::Quarter { year, quarter } => {
                let s = ym(year, (quarter - 1) * 3 + 1);
                (s, add_months(s, 3))
            }
            DateSpec::Half { year, half } => {
                let s = ym(year, (half - 1) * 6 + 1);
                (s, add_months(s, 6))
            }
            DateSpec::Year(year) => {
                let s = ym(year, 1);
                (s, add_months(s, 12))
            }
            DateSpec::Horizon(h) => {
                let q0 = ym(today.year(), (today.month() - 1) / 3 * 3 + 1);
                let q1 = add_months(q0, 3).unwrap_or(Date::MAX);
                let q3 = add_months(q0, 9).unwrap_or(Date::MAX);
                match h {
                    Horizon::Now => (q0, Some(q1)),
                    Horizon::Next => (q1, Some(q3)),
                    Horizon::Later => (q3, None),
                }
            }
        };
        Interval { start, end }
    }

    /// The same target no finer than a quarter (what the sales lens may say):
    /// days and months become their quarter; coarser forms stay as they are.
    pub fn coarse_quarter(&self) -> DateSpec {
        self.coarsened(Precision::Quarter)
    }

    /// The same target no finer than `p`: the period of precision `p` that
    /// holds it (`2027-08-16` → `2027-Q3` for a quarter). Targets already
    /// as coarse, and horizons, stay as they are.
    pub fn coarsened(&self, p: Precision) -> DateSpec {
        if self.precision() >= p {
            return *self;
        }
        let (year, month) = match *self {
            DateSpec::Day(d) => (d.year(), d.month()),
            DateSpec::Month { year, month } => (year, month),
            DateSpec::Quarter { year, quarter } => (year, (quarter - 1) * 3 + 1),
            DateSpec::Half { year, half } => (year, (half - 1) * 6 + 1),
            DateSpec::Year(_) | DateSpec::Horizon(_) => return *self,
        };
        match p {
            Precision::Day => *self,
            Precision::Month => DateSpec::Month { year, month },
            Precision::Quarter => DateSpec::Quarter {
                year,
                quarter: (month - 1) / 3 + 1,
            },
            Precision::Half => DateSpec::Half {
                year,
                half: (month - 1) / 6 + 1,
            },
            Precision::Year | Precision::Horizon => DateSpec::Year(year),
        }
    }

    /// A key that sorts targets by the end of their interval (open ends last).
    pub fn sort_key(&self, today: Date) -> (Date, Date) {
        let iv = self.interval(today);
        (iv.end.unwrap_or(Date::MAX), iv.start)
    }
}

/// Written as in the file: `2027-Q3`, `2027-08-14`, `later`.
impl serde::Serialize for DateSpec {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl fmt::Display for DateSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateSpec::Day(d) => write!(f, "{d}"),
            DateSpec::Month { year, month } => write!(f, "{year:04}-{month:02}"),
            DateSpec::Quarter { year, quarter } => write!(f, "{year:04}-Q{quarter}"),
            DateSpec::Half { year, half } => write!(f, "{year:04}-H{half}"),
            DateSpec::Year(y) => write!(f, "{y:04}"),
            DateSpec::Horizon(h) => f.write_str(h.as_str()),
        }
    }
}

/// How a target moved between two revisions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shift {
    /// The same target.
    Same,
    /// Made more precise: the new interval lies inside the old one
    /// (`2027-Q3` → `2027-08-14`), or a horizon became the period it stood
    /// for. Never a slip.
    Refined,
    /// Made less precise (or moved to a horizon) without the end of its
    /// interval moving (`2027-Q4` → `2027-H2`). Not a refinement: the
    /// promise got vaguer.
    Coarsened,
    /// The end of the interval moved later; `amount` in the target's own unit
    /// (`None` where a horizon is involved: no honest distance).
    Slipped { amount: Option<Amount> },
    /// The end of the interval moved earlier.
    PulledIn { amount: Option<Amount> },
}

impl Shift {
    /// The amount of a slip or a pull-in.
    pub fn amount(&self) -> Option<Amount> {
        match self {
            Shift::Slipped { amount } | Shift::PulledIn { amount } => *amount,
            _ => None,
        }
    }
}

/// A distance between two targets in one unit: "1 quarter", "3 weeks".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Amount {
    pub n: i64,
    pub unit: AmountUnit,
}

/// The unit of an [`Amount`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AmountUnit {
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

impl AmountUnit {
    pub fn as_str(self) -> &'static str {
        match self {
            AmountUnit::Day => "day",
            AmountUnit::Week => "week",
            AmountUnit::Month => "month",
            AmountUnit::Quarter => "quarter",
            AmountUnit::Year => "year",
        }
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = self.unit.as_str();
        if self.n == 1 {
            write!(f, "1 {unit}")
        } else {
            write!(f, "{} {unit}s", self.n)
        }
    }
}

/// The system's local time zone, worked out once per process.
///
/// With `TZ` unset on Unix, `/etc/localtime` is read directly as the TZif
/// file it is: asking jiff for the system zone by name first walks the whole
/// zoneinfo directory (tens of `getdents` calls, about 1.5 ms of a 10 ms
/// command). With `TZ` set, or without `/etc/localtime`, jiff decides, as
/// it would anyway.
pub fn local_time_zone() -> jiff::tz::TimeZone {
    static TZ: std::sync::OnceLock<jiff::tz::TimeZone> = std::sync::OnceLock::new();
    TZ.get_or_init(|| {
        let direct = if cfg!(unix) && std::env::var_os("TZ").is_none() {
            std::fs::read("/etc/localtime")
                .ok()
                .and_then(|b| jiff::tz::TimeZone::tzif("localtime", &b).ok())
        } else {
            None
        };
        direct.unwrap_or_else(jiff::tz::TimeZone::system)
    })
    .clone()
}

/// Compare an old and a new target: slip, pull-in, refinement, or a target
/// made vaguer.
///
/// A target slips when the end of its interval moves later and is pulled in
/// when it moves earlier. Only a target made *more* precise inside its old
/// interval is a refinement; a target made less precise or moved to a
/// horizon is never one.
pub fn compare(old: &DateSpec, new: &DateSpec, today: Date) -> Shift {
    if old == new {
        return Shift::Same;
    }
    if let (DateSpec::Horizon(a), DateSpec::Horizon(b)) = (old, new) {
        return if b > a {
            Shift::Slipped { amount: None }
        } else {
            Shift::PulledIn { amount: None }
        };
    }
    let (io, inew) = (old.interval(today), new.interval(today));
    let mixed = old.is_horizon() || new.is_horizon();
    // More precise inside the old interval: a refinement. (A date against a
    // horizon only when the horizon becomes a date: "later" → 2031-Q1 is
    // still a date inside "later".)
    let finer = new.precision() < old.precision();
    if finer && inew.within(&io) && (!mixed || old.is_horizon()) {
        return Shift::Refined;
    }
    let later = match (io.end, inew.end) {
        (Some(a), Some(b)) if a == b => {
            return if finer {
                Shift::Refined
            } else {
                Shift::Coarsened
            };
        }
        (Some(a), Some(b)) => b > a,
        (Some(_), None) => true,
        (None, Some(_)) => false,
        (None, None) => {
            return if finer {
                Shift::Refined
            } else {
                Shift::Coarsened
            };
        }
    };
    let amount = match (io.end, inew.end, mixed) {
        (Some(a), Some(b), false) => Some(amount(a, b, new.precision())),
        _ => None,
    };
    if later {
        Shift::Slipped { amount }
    } else {
        Shift::PulledIn { amount }
    }
}

/// The distance between two interval ends in the new target's own unit
/// ("by 1 quarter" for `2028-03-15` → `2028-Q2`, "by 3 weeks" between days),
/// counted between the last days of the two intervals. When that count is
/// zero (both in one period of the new unit), days or weeks are used.
fn amount(old_end: Date, new_end: Date, unit: Precision) -> Amount {
    let last = |d: Date| d.yesterday().unwrap_or(d);
    let (a, b) = (last(old_end), last(new_end));
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    let month_no = |d: Date| d.year() as i64 * 12 + d.month() as i64 - 1;
    let in_unit = |per: i64| month_no(hi).div_euclid(per) - month_no(lo).div_euclid(per);
    let days = || {
        let days = (hi - lo).get_days() as i64;
        if days % 7 == 0 {
            Amount {
                n: days / 7,
                unit: AmountUnit::Week,
            }
        } else {
            Amount {
                n: days,
                unit: AmountUnit::Day,
            }
        }
    };
    let (n, unit) = match unit {
        Precision::Day | Precision::Horizon => return days(),
        Precision::Month => (in_unit(1), AmountUnit::Month),
        Precision::Quarter => (in_unit(3), AmountUnit::Quarter),
        // "1 half" reads oddly as a duration: halves count in quarters.
        Precision::Half => (in_unit(3), AmountUnit::Quarter),
        Precision::Year => (in_unit(12), AmountUnit::Year),
    };
    if n == 0 { days() } else { Amount { n, unit } }
}

/// An effort estimate: a number and a unit (`"10w"`, `"3d"`, `"2m"`, `"1q"`,
/// `"3 sprints"`).
#[derive(Clone, Debug, PartialEq)]
pub struct Estimate {
    pub amount: f64,
    pub unit: EstimateUnit,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EstimateUnit {
    Day,
    Week,
    Month,
    Quarter,
    Sprint,
}

pub const ESTIMATE_FORMS: &str =
    "a number and a unit: \"5d\", \"10w\", \"2m\", \"1q\" or \"3 sprints\"";

impl Estimate {
    pub fn parse(s: &str) -> Result<Estimate, String> {
        let t = s.trim();
        let split = t
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(t.len());
        let (num, unit) = t.split_at(split);
        let amount: f64 = num
            .parse()
            .map_err(|_| format!("invalid estimate `{s}`: expected {ESTIMATE_FORMS}"))?;
        let unit = match unit.trim() {
            "d" | "day" | "days" => EstimateUnit::Day,
            "w" | "week" | "weeks" => EstimateUnit::Week,
            "m" | "month" | "months" => EstimateUnit::Month,
            "q" | "quarter" | "quarters" => EstimateUnit::Quarter,
            "sprint" | "sprints" => EstimateUnit::Sprint,
            _ => return Err(format!("invalid estimate `{s}`: expected {ESTIMATE_FORMS}")),
        };
        if !amount.is_finite() || amount < 0.0 {
            return Err(format!("invalid estimate `{s}`: expected {ESTIMATE_FORMS}"));
        }
        let e = Estimate { amount, unit };
        if e.days() > MAX_ESTIMATE_DAYS as f64 {
            return Err(format!(
                "invalid estimate `{s}`: over 100 years (the schedule and the effort would disagree)"
            ));
        }
        Ok(e)
    }

    /// Calendar days (a sprint is two weeks, a month 30 days, a quarter 91).
    pub fn days(&self) -> f64 {
        self.days_with_sprint(SPRINT_DAYS)
    }

    /// Calendar days, a sprint being `sprint` days (a layer's `sprint`).
    pub fn days_with_sprint(&self, sprint: f64) -> f64 {
        self.amount
            * match self.unit {
                EstimateUnit::Day => 1.0,
                EstimateUnit::Week => 7.0,
                EstimateUnit::Month => 30.0,
                EstimateUnit::Quarter => 91.0,
                EstimateUnit::Sprint => sprint,
            }
    }
}

/// The longest estimate, in days (100 years): a longer one is an error, and
/// the schedule never places an item longer than this.
pub const MAX_ESTIMATE_DAYS: i64 = 36_525;

/// How long a sprint is unless a layer says otherwise (`sprint = "3w"`).
pub const SPRINT_DAYS: f64 = 14.0;

/// As written in a file: `10w`, `3d`, `1.5m`, `1q`, `3 sprints`.
impl fmt::Display for Estimate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.amount;
        let n = if n.is_finite() && n.fract() == 0.0 && n.abs() < 1e15 {
            format!("{n:.0}")
        } else {
            format!("{n}")
        };
        match self.unit {
            EstimateUnit::Day => write!(f, "{n}d"),
            EstimateUnit::Week => write!(f, "{n}w"),
            EstimateUnit::Month => write!(f, "{n}m"),
            EstimateUnit::Quarter => write!(f, "{n}q"),
            EstimateUnit::Sprint if self.amount == 1.0 => f.write_str("1 sprint"),
            EstimateUnit::Sprint => write!(f, "{n} sprints"),
        }
    }
}

/// A number of days as people say it: `1 day`, `10 days`; from two weeks
/// on, in weeks (rounded): `3 weeks`.
pub fn duration(days: i64) -> String {
    let n = days.abs();
    if n >= 14 {
        let w = (n as f64 / 7.0).round() as i64;
        format!("{w} weeks")
    } else if n == 1 {
        "1 day".into()
    } else {
        format!("{n} days")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const TODAY: Date = date(2027, 5, 10);

    fn p(s: &str) -> DateSpec {
        DateSpec::parse(s).unwrap()
    }

    fn iv(s: &str) -> (Date, Option<Date>) {
        let i = p(s).interval(TODAY);
        (i.start, i.end)
    }

    #[test]
    fn every_form_resolves_to_its_interval() {
        assert_eq!(
            iv("2027-03-15"),
            (date(2027, 3, 15), Some(date(2027, 3, 16)))
        );
        assert_eq!(iv("2027-03"), (date(2027, 3, 1), Some(date(2027, 4, 1))));
        assert_eq!(iv("2027-12"), (date(2027, 12, 1), Some(date(2028, 1, 1))));
        assert_eq!(iv("2027-Q1"), (date(2027, 1, 1), Some(date(2027, 4, 1))));
        assert_eq!(iv("2027-Q4"), (date(2027, 10, 1), Some(date(2028, 1, 1))));
        assert_eq!(iv("2027-H2"), (date(2027, 7, 1), Some(date(2028, 1, 1))));
        assert_eq!(iv("2027"), (date(2027, 1, 1), Some(date(2028, 1, 1))));
        assert_eq!(iv("now"), (date(2027, 4, 1), Some(date(2027, 7, 1))));
        assert_eq!(iv("next"), (date(2027, 7, 1), Some(date(2028, 1, 1))));
        assert_eq!(iv("later"), (date(2028, 1, 1), None));
    }

    #[test]
    fn coarsening_gives_the_period_that_holds_a_target() {
        let c = |s: &str, to: Precision| p(s).coarsened(to).to_string();
        assert_eq!(c("2027-08-16", Precision::Month), "2027-08");
        assert_eq!(c("2027-08-16", Precision::Quarter), "2027-Q3");
        assert_eq!(c("2027-08", Precision::Half), "2027-H2");
        assert_eq!(c("2027-Q2", Precision::Half), "2027-H1");
        assert_eq!(c("2027-H2", Precision::Year), "2027");
        // Already as coarse, or a horizon: unchanged.
        assert_eq!(c("2027-H2", Precision::Quarter), "2027-H2");
        assert_eq!(c("next", Precision::Year), "next");
        assert_eq!(p("2027-11-02").coarse_quarter().to_string(), "2027-Q4");
    }

    #[test]
    fn display_round_trips() {
        for s in [
            "2027-03-15",
            "2027-03",
            "2027-Q1",
            "2027-H2",
            "2027",
            "now",
            "next",
            "later",
        ] {
            assert_eq!(p(s).to_string(), s);
        }
    }

    #[test]
    fn bad_forms_are_rejected() {
        for s in [
            "2027-13",
            "2027-Q5",
            "2027-H3",
            "27",
            "2027-02-30",
            "soon",
            "2027-q1",
            "2027-1",
            "",
        ] {
            assert!(DateSpec::parse(s).is_err(), "{s}");
        }
        assert!(
            DateSpec::parse("2027-02-30")
                .unwrap_err()
                .contains("no such day")
        );
    }

    fn am(s: &str) -> Amount {
        let (n, unit) = s.split_once(' ').unwrap();
        let unit = match unit.trim_end_matches('s') {
            "day" => AmountUnit::Day,
            "week" => AmountUnit::Week,
            "month" => AmountUnit::Month,
            "quarter" => AmountUnit::Quarter,
            _ => AmountUnit::Year,
        };
        let a = Amount {
            n: n.parse().unwrap(),
            unit,
        };
        assert_eq!(a.to_string(), s);
        a
    }

    #[test]
    fn slips_pull_ins_and_refinements() {
        let c = |a: &str, b: &str| compare(&p(a), &p(b), TODAY);
        assert_eq!(c("2027-Q3", "2027-Q3"), Shift::Same);
        assert_eq!(
            c("2027-Q3", "2027-Q4"),
            Shift::Slipped {
                amount: Some(am("1 quarter"))
            }
        );
        assert_eq!(
            c("2027-Q3", "2028-Q1"),
            Shift::Slipped {
                amount: Some(am("2 quarters"))
            }
        );
        assert_eq!(
            c("2027-Q4", "2027-Q3"),
            Shift::PulledIn {
                amount: Some(am("1 quarter"))
            }
        );
        assert_eq!(
            c("2027-03-01", "2027-03-22"),
            Shift::Slipped {
                amount: Some(am("3 weeks"))
            }
        );
        assert_eq!(
            c("2027-03-01", "2027-03-03"),
            Shift::Slipped {
                amount: Some(am("2 days"))
            }
        );
        assert_eq!(
            c("2027-03", "2027-05"),
            Shift::Slipped {
                amount: Some(am("2 months"))
            }
        );
        assert_eq!(
            c("2027-H1", "2027-H2"),
            Shift::Slipped {
                amount: Some(am("2 quarters"))
            }
        );
        assert_eq!(
            c("2027", "2029"),
            Shift::Slipped {
                amount: Some(am("2 years"))
            }
        );
        // Mixed precision: counted in the finer unit.
        assert_eq!(
            c("2027-Q3", "2027-11"),
            Shift::Slipped {
                amount: Some(am("2 months"))
            }
        );
        // More precise inside the old interval: a refinement, not a pull-in.
        assert_eq!(c("2027-Q3", "2027-08-14"), Shift::Refined);
        assert_eq!(c("2027-H2", "2027-Q3"), Shift::Refined);
        // Less precise, or to a horizon: never a refinement.
        assert_eq!(
            c("2027-08-14", "2027-Q3"),
            Shift::Slipped {
                amount: Some(am("47 days"))
            }
        );
        assert_eq!(c("2027-Q4", "2027-H2"), Shift::Coarsened);
        assert_eq!(c("now", "2027-Q2"), Shift::Refined);
        assert_eq!(c("2027-Q2", "now"), Shift::Coarsened);
        assert_ne!(c("2027-Q2", "next"), Shift::Refined);
        // Horizons.
        assert_eq!(c("now", "next"), Shift::Slipped { amount: None });
        assert_eq!(c("later", "now"), Shift::PulledIn { amount: None });
        assert_eq!(c("2027-Q3", "later"), Shift::Slipped { amount: None });
        assert_eq!(c("later", "2027-Q3"), Shift::PulledIn { amount: None });
        assert_eq!(c("2028-Q2", "later"), Shift::Slipped { amount: None });
    }

    #[test]
    fn coarse_quarter_hides_days_and_months() {
        assert_eq!(p("2027-08-14").coarse_quarter().to_string(), "2027-Q3");
        assert_eq!(p("2027-01").coarse_quarter().to_string(), "2027-Q1");
        assert_eq!(p("2027-H1").coarse_quarter().to_string(), "2027-H1");
        assert_eq!(p("later").coarse_quarter().to_string(), "later");
    }

    #[test]
    fn estimates() {
        assert_eq!(Estimate::parse("10w").unwrap().days(), 70.0);
        assert_eq!(Estimate::parse("3 sprints").unwrap().days(), 42.0);
        assert_eq!(Estimate::parse("5d").unwrap().days(), 5.0);
        assert_eq!(Estimate::parse("2m").unwrap().days(), 60.0);
        assert_eq!(Estimate::parse("1.5q").unwrap().unit, EstimateUnit::Quarter);
        // A century at most: the schedule and the effort say the same.
        assert!(Estimate::parse("400q").is_ok());
        let e = Estimate::parse("99999999q").unwrap_err();
        assert!(e.contains("over 100 years"), "{e}");
        assert!(Estimate::parse("ten weeks").is_err());
        assert!(Estimate::parse("10y").is_err());
    }
}
