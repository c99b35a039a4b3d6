//! ZONE024 `zone-rrsig-expired`.

use crate::rules::targets::field_span;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::rdata::view;
use zonelint_zone::{Code, RType, RecordRef};

/// RRSIGs that have expired or expire soon.
pub struct RrsigExpired;

/// How close to its expiration a signature is reported: three days.
pub const WARN_BEFORE: i64 = 3 * 86_400;

/// Where the expiration field starts in RRSIG RDATA (type covered, algorithm, labels,
/// original TTL come first; RFC 4034 §3.1).
const EXPIRATION_OFFSET: usize = 8;

static META: RuleMeta = RuleMeta {
    code: Code { code: "ZONE024", slug: "zone-rrsig-expired" },
    default: Level::Warning,
    strict: Level::Warning,
    fix: FixAvailability::None,
    first_release: false,
    summary: "RRSIG expired or expiring within 3 days",
    doc: RuleDoc {
        what: "Reports RRSIG records whose signature expiration is in the past, or less than 3 days ahead, of the time given with `--now` (the command line uses the clock when it is not given). Each case is reported once per zone, at the signature that expires first, with the number of others.",
        why: "A validating resolver treats an RRset whose only signatures have expired as bogus and answers SERVFAIL (RFC 4034 §3.1.5; RFC 4035 §5.3.1): the whole signed zone, its MX and SPF included, disappears for every validating receiver. Expiration times are 32-bit serial numbers (RFC 4034 §3.1.5, RFC 1982), compared here in serial-number arithmetic, so they stay correct past 2106.",
        example: "www A 192.0.2.80\nwww RRSIG A 13 3 3600 20200201000000 20200101000000 12345 example.com. WlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWg==\nwww TXT \"v=spf1 -all\"\n",
        use_instead: "www A 192.0.2.80\nwww TXT \"v=spf1 -all\"\n",
        fix_safety: "No fix: the zone has to be signed again with the signer, which holds the keys.",
        references: &["RFC 4034 §3.1.5", "RFC 4035 §5.3.1", "RFC 1982 §3.2"],
    },
};

/// The expiration of `expiration` (seconds modulo 2^32) seen from `now`, in seconds since
/// the epoch: the value congruent to it closest to `now` (RFC 1982 serial arithmetic).
#[must_use]
pub fn expiration_from(now: i64, expiration: u32) -> i64 {
    // Truncation to the low 32 bits is the serial-number space.
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "serial arithmetic modulo 2^32"
    )]
    let now_serial = now as u32;
    #[expect(
        clippy::cast_possible_wrap,
        reason = "the signed distance in serial arithmetic"
    )]
    let distance = expiration.wrapping_sub(now_serial) as i32;
    now + i64::from(distance)
}

/// `YYYY-MM-DD HH:MM:SS UTC` for seconds since the epoch (proleptic Gregorian).
#[must_use]
pub fn format_utc(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let of_day = seconds.rem_euclid(86_400);
    // Civil from days (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        of_day / 3600,
        of_day % 3600 / 60,
        of_day % 60
    )
}

/// A duration as days and hours, or hours and minutes when under a day.
fn duration(seconds: i64) -> String {
    let seconds = seconds.abs();
    let (days, hours, minutes) = (
        seconds / 86_400,
        seconds % 86_400 / 3600,
        seconds % 3600 / 60,
    );
    match days {
        0 => format!("{hours} h {minutes} min"),
        1 => format!("1 day {hours} h"),
        n => format!("{n} days {hours} h"),
    }
}

impl Rule for RrsigExpired {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn reads_email_records(&self) -> bool {
        false
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        // Without a time the library has no clock to read: the binary supplies one.
        let Some(now) = cx.settings.now else { return };
        let zone = cx.zone;
        // Per case (expired, expiring): the signature that expires first, and how many.
        let mut expired: Option<(i64, RecordRef<'_>, usize)> = None;
        let mut expiring: Option<(i64, RecordRef<'_>, usize)> = None;
        for record in zone.zone.records() {
            if record.rtype() != RType::RRSIG {
                continue;
            }
            let Some(sig) = record.rdata_borrowed().and_then(view::rrsig) else {
                continue;
            };
            let at = expiration_from(now, sig.expiration);
            let slot = if at <= now {
                &mut expired
            } else if at - now < WARN_BEFORE {
                &mut expiring
            } else {
                continue;
            };
            match slot {
                Some((first, first_record, count)) => {
                    *count += 1;
                    if at < *first {
                        *first = at;
                        *first_record = record;
                    }
                }
                None => *slot = Some((at, record, 1)),
            }
        }
        for (case, found) in [("expired", expired), ("expiring", expiring)] {
            let Some((at, record, count)) = found else {
                continue;
            };
            let Some(sig) = record.rdata_borrowed().and_then(view::rrsig) else {
                continue;
            };
            let owner = record.owner().to_name();
            let others = match count - 1 {
                0 => String::new(),
                1 => ", and 1 other signature in the zone".to_owned(),
                n => format!(", and {n} other signatures in the zone"),
            };
            let when = format_utc(at);
            let message = if case == "expired" {
                format!(
                    "RRSIG over {} at {owner} expired at {when} ({} ago){others}: validating resolvers treat the data as bogus and answer SERVFAIL",
                    sig.type_covered,
                    duration(now - at)
                )
            } else {
                format!(
                    "RRSIG over {} at {owner} expires at {when} (in {}){others}: unless the zone is signed again first, validating resolvers will answer SERVFAIL",
                    sig.type_covered,
                    duration(at - now)
                )
            };
            sink.report(field_span(&record, EXPIRATION_OFFSET), message)
                .help("Sign the zone again (and check that automatic re-signing runs) so every signature is valid for more than 3 days")
                .owner(owner);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{expiration_from, format_utc};
    use crate::rules::test_support::{head, lint_with};
    use crate::Settings;

    /// 2030-01-01 00:00:00 UTC.
    const NOW: i64 = 1_893_456_000;

    fn sig(owner: &str, expiration: &str) -> String {
        format!("{owner} RRSIG A 13 3 3600 {expiration} 20291201000000 12345 example.com. WlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWg==\n")
    }

    fn lint(zone: &str, now: Option<i64>) -> String {
        let settings = Settings {
            select: vec![crate::Selector("ZONE024".to_owned())],
            now,
            ..Settings::default()
        };
        lint_with(zone, &settings)
    }

    #[test]
    fn expired_and_expiring_signatures_fire_once_each() {
        let zone = format!(
            "{}www A 192.0.2.1\n{}{}{}{}",
            head(),
            sig("www", "20291231000000"),
            sig("ftp", "20291201000000"),
            sig("ns1", "20300102120000"),
            sig("ns2", "20300201000000")
        );
        insta::assert_snapshot!(lint(&zone, Some(NOW)), @r"
        9:23 ZONE024 warning `20291201000000` RRSIG over A at ftp.example.com. expired at 2029-12-01 00:00:00 UTC (31 days 0 h ago), and 1 other signature in the zone: validating resolvers treat the data as bogus and answer SERVFAIL
            help: Sign the zone again (and check that automatic re-signing runs) so every signature is valid for more than 3 days
        10:23 ZONE024 warning `20300102120000` RRSIG over A at ns1.example.com. expires at 2030-01-02 12:00:00 UTC (in 1 day 12 h): unless the zone is signed again first, validating resolvers will answer SERVFAIL
            help: Sign the zone again (and check that automatic re-signing runs) so every signature is valid for more than 3 days
        ");
    }

    #[test]
    fn without_a_time_nothing_is_checked() {
        let zone = format!("{}{}", head(), sig("www", "19700102000000"));
        assert_eq!(lint(&zone, None), "");
    }

    #[test]
    fn serial_arithmetic_wraps_past_2106() {
        // 2106-02-07 06:28:16 UTC is 2^32: a signature written as 10 (modulo 2^32)
        // expires 10 seconds after it.
        let now = (1_i64 << 32) - 100;
        assert_eq!(expiration_from(now, 10), (1_i64 << 32) + 10);
        assert_eq!(expiration_from(now, u32::MAX - 200), now - 101);
        assert_eq!(format_utc(1 << 32), "2106-02-07 06:28:16 UTC");
        assert_eq!(format_utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(format_utc(NOW), "2030-01-01 00:00:00 UTC");
    }
}
