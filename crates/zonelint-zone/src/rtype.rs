//! Record types and classes: numbers, mnemonics, and `TYPEnnn`/`CLASSnnn` (RFC 3597 §5).

use std::fmt;

macro_rules! rtypes {
    ($($name:ident = $value:literal, $text:literal;)*) => {
        impl RType {
            $(
                #[doc = concat!("`", $text, "` (", stringify!($value), ")")]
                pub const $name: RType = RType($value);
            )*

            /// The mnemonic, if the type has one.
            #[must_use]
            pub const fn mnemonic(self) -> Option<&'static str> {
                match self.0 {
                    $($value => Some($text),)*
                    _ => None,
                }
            }

            fn from_known_mnemonic(upper: &[u8]) -> Option<RType> {
                match upper {
                    $(x if x == $text.as_bytes() => Some(RType($value)),)*
                    _ => None,
                }
            }
        }
    };
}

/// A resource-record type number.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RType(pub u16);

rtypes! {
    A = 1, "A"; NS = 2, "NS"; MD = 3, "MD"; MF = 4, "MF"; CNAME = 5, "CNAME"; SOA = 6, "SOA";
    MB = 7, "MB"; MG = 8, "MG"; MR = 9, "MR"; NULL = 10, "NULL"; WKS = 11, "WKS"; PTR = 12, "PTR";
    HINFO = 13, "HINFO"; MINFO = 14, "MINFO"; MX = 15, "MX"; TXT = 16, "TXT"; RP = 17, "RP";
    AFSDB = 18, "AFSDB"; X25 = 19, "X25"; ISDN = 20, "ISDN"; RT = 21, "RT"; NSAP = 22, "NSAP";
    NSAP_PTR = 23, "NSAP-PTR"; SIG = 24, "SIG"; KEY = 25, "KEY"; PX = 26, "PX"; GPOS = 27, "GPOS";
    AAAA = 28, "AAAA"; LOC = 29, "LOC"; NXT = 30, "NXT"; EID = 31, "EID"; NIMLOC = 32, "NIMLOC";
    SRV = 33, "SRV"; ATMA = 34, "ATMA"; NAPTR = 35, "NAPTR"; KX = 36, "KX"; CERT = 37, "CERT";
    A6 = 38, "A6"; DNAME = 39, "DNAME"; SINK = 40, "SINK"; OPT = 41, "OPT"; APL = 42, "APL";
    DS = 43, "DS"; SSHFP = 44, "SSHFP"; IPSECKEY = 45, "IPSECKEY"; RRSIG = 46, "RRSIG";
    NSEC = 47, "NSEC"; DNSKEY = 48, "DNSKEY"; DHCID = 49, "DHCID"; NSEC3 = 50, "NSEC3";
    NSEC3PARAM = 51, "NSEC3PARAM"; TLSA = 52, "TLSA"; SMIMEA = 53, "SMIMEA"; HIP = 55, "HIP";
    NINFO = 56, "NINFO"; RKEY = 57, "RKEY"; TALINK = 58, "TALINK"; CDS = 59, "CDS";
    CDNSKEY = 60, "CDNSKEY"; OPENPGPKEY = 61, "OPENPGPKEY"; CSYNC = 62, "CSYNC";
    ZONEMD = 63, "ZONEMD"; SVCB = 64, "SVCB"; HTTPS = 65, "HTTPS"; DSYNC = 66, "DSYNC";
    SPF = 99, "SPF"; UINFO = 100, "UINFO"; UID = 101, "UID"; GID = 102, "GID";
    UNSPEC = 103, "UNSPEC"; NID = 104, "NID"; L32 = 105, "L32"; L64 = 106, "L64"; LP = 107, "LP";
    EUI48 = 108, "EUI48"; EUI64 = 109, "EUI64"; TKEY = 249, "TKEY"; TSIG = 250, "TSIG";
    IXFR = 251, "IXFR"; AXFR = 252, "AXFR"; MAILB = 253, "MAILB"; MAILA = 254, "MAILA";
    ANY = 255, "ANY"; URI = 256, "URI"; CAA = 257, "CAA"; AVC = 258, "AVC"; DOA = 259, "DOA";
    AMTRELAY = 260, "AMTRELAY"; RESINFO = 261, "RESINFO"; WALLET = 262, "WALLET";
    TA = 32768, "TA"; DLV = 32769, "DLV";
}

impl RType {
    /// Parses a mnemonic (any case) or `TYPEnnn`.
    #[must_use]
    pub fn from_text(text: &[u8]) -> Option<RType> {
        if text.len() > 10 {
            return None;
        }
        let mut upper = [0u8; 10];
        let upper = upper.get_mut(..text.len())?;
        upper.copy_from_slice(text);
        upper.make_ascii_uppercase();
        if let Some(number) = upper.strip_prefix(b"TYPE") {
            return parse_u16(number).map(RType);
        }
        Self::from_known_mnemonic(upper)
    }

    /// Meta and query-only types that cannot appear in a zone file (OPT, TKEY, TSIG, IXFR,
    /// AXFR, MAILA, MAILB, ANY).
    #[must_use]
    pub const fn is_meta(self) -> bool {
        matches!(self.0, 41 | 128..=255)
    }
}

fn parse_u16(digits: &[u8]) -> Option<u16> {
    if digits.is_empty() || digits.len() > 5 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(digits).ok()?.parse().ok()
}

impl fmt::Display for RType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.mnemonic() {
            Some(m) => f.write_str(m),
            None => write!(f, "TYPE{}", self.0),
        }
    }
}

impl fmt::Debug for RType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// A record class.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Class(pub u16);

impl Class {
    /// The Internet.
    pub const IN: Class = Class(1);
    /// Chaos.
    pub const CH: Class = Class(3);
    /// Hesiod.
    pub const HS: Class = Class(4);

    /// Parses `IN`, `CH`/`CHAOS`, `HS`/`HESIOD` (any case) or `CLASSnnn`.
    /// `NONE` and `ANY` are query classes and are not accepted.
    #[must_use]
    pub fn from_text(text: &[u8]) -> Option<Class> {
        if text.eq_ignore_ascii_case(b"IN") {
            Some(Class::IN)
        } else if text.eq_ignore_ascii_case(b"CH") || text.eq_ignore_ascii_case(b"CHAOS") {
            Some(Class::CH)
        } else if text.eq_ignore_ascii_case(b"HS") || text.eq_ignore_ascii_case(b"HESIOD") {
            Some(Class::HS)
        } else if text.len() > 5 && text.get(..5)?.eq_ignore_ascii_case(b"CLASS") {
            parse_u16(text.get(5..)?).map(Class)
        } else {
            None
        }
    }
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            1 => f.write_str("IN"),
            3 => f.write_str("CH"),
            4 => f.write_str("HS"),
            n => write!(f, "CLASS{n}"),
        }
    }
}

impl fmt::Debug for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mnemonics_and_generic_forms() {
        assert_eq!(RType::from_text(b"a"), Some(RType::A));
        assert_eq!(RType::from_text(b"Nsec3Param"), Some(RType::NSEC3PARAM));
        assert_eq!(RType::from_text(b"TYPE65534"), Some(RType(65534)));
        assert_eq!(RType::from_text(b"type1"), Some(RType::A));
        assert_eq!(RType::from_text(b"TYPE65536"), None);
        assert_eq!(RType::from_text(b"A6X"), None);
        assert_eq!(RType::from_text(b"TYPE"), None);
        assert_eq!(RType(65534).to_string(), "TYPE65534");
        assert_eq!(Class::from_text(b"class3"), Some(Class::CH));
        assert_eq!(Class::from_text(b"in"), Some(Class::IN));
        assert_eq!(Class::from_text(b"ANY"), None);
    }
}
