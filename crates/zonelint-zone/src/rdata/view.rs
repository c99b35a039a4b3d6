//! Typed, borrowed views of wire-format RDATA for the policy layer.
//!
//! Each decoder reads the uncompressed wire form the parser stored, allocates nothing and
//! returns `None` when the bytes do not have the type's shape (which cannot happen for
//! records the parser produced, but a view must not trust its input). Names come back as
//! [`NameRef`], already checked to be well formed.

use super::reader::Reader;
use crate::name::NameRef;
use crate::rtype::RType;

pub use super::bitmap::TypeBitmap;
pub use super::svcb::{SvcParam, SvcParams};

fn name<'a>(reader: &mut Reader<'a>) -> Option<&'a NameRef> {
    reader.name().map(NameRef::cast)
}

/// SOA RDATA (RFC 1035 §3.3.13).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Soa<'a> {
    /// The primary name server (MNAME).
    pub mname: &'a NameRef,
    /// The responsible mailbox (RNAME), first label the local part.
    pub rname: &'a NameRef,
    /// The zone serial.
    pub serial: u32,
    /// Seconds between secondary refreshes.
    pub refresh: u32,
    /// Seconds between retries after a failed refresh.
    pub retry: u32,
    /// Seconds after which a secondary stops answering without a refresh.
    pub expire: u32,
    /// The negative-caching TTL (RFC 2308).
    pub minimum: u32,
}

/// Decodes SOA RDATA.
#[must_use]
pub fn soa(wire: &[u8]) -> Option<Soa<'_>> {
    let mut reader = Reader::new(wire);
    let soa = Soa {
        mname: name(&mut reader)?,
        rname: name(&mut reader)?,
        serial: reader.u32()?,
        refresh: reader.u32()?,
        retry: reader.u32()?,
        expire: reader.u32()?,
        minimum: reader.u32()?,
    };
    reader.is_empty().then_some(soa)
}

/// MX RDATA (RFC 1035 §3.3.9).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mx<'a> {
    /// Lower is preferred.
    pub preference: u16,
    /// The mail exchanger (`.` is the RFC 7505 null MX).
    pub exchange: &'a NameRef,
}

/// Decodes MX RDATA.
#[must_use]
pub fn mx(wire: &[u8]) -> Option<Mx<'_>> {
    let mut reader = Reader::new(wire);
    let mx = Mx {
        preference: reader.u16()?,
        exchange: name(&mut reader)?,
    };
    reader.is_empty().then_some(mx)
}

/// SRV RDATA (RFC 2782).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Srv<'a> {
    /// Lower is tried first.
    pub priority: u16,
    /// Relative weight among equal priorities.
    pub weight: u16,
    /// The service port.
    pub port: u16,
    /// The target host (`.`: the service is not available).
    pub target: &'a NameRef,
}

/// Decodes SRV RDATA.
#[must_use]
pub fn srv(wire: &[u8]) -> Option<Srv<'_>> {
    let mut reader = Reader::new(wire);
    let srv = Srv {
        priority: reader.u16()?,
        weight: reader.u16()?,
        port: reader.u16()?,
        target: name(&mut reader)?,
    };
    reader.is_empty().then_some(srv)
}

/// The target of RDATA that is exactly one name: NS, CNAME, DNAME, PTR (and MB, MD, MF,
/// MG, MR).
#[must_use]
pub fn single_name(wire: &[u8]) -> Option<&NameRef> {
    let mut reader = Reader::new(wire);
    let target = name(&mut reader)?;
    reader.is_empty().then_some(target)
}

/// The character-strings of TXT-like RDATA (TXT, SPF), as octets with escapes decoded.
#[must_use]
pub fn txt_strings(wire: &[u8]) -> TxtStrings<'_> {
    TxtStrings {
        reader: Reader::new(wire),
    }
}

/// Iterator over the character-strings of TXT RDATA; stops at the end or at a string
/// that does not fit.
#[derive(Clone, Debug)]
pub struct TxtStrings<'a> {
    reader: Reader<'a>,
}

impl<'a> Iterator for TxtStrings<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        self.reader.char_string()
    }
}

/// CAA RDATA (RFC 8659).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Caa<'a> {
    /// Flags; bit 0x80 is "issuer critical".
    pub flags: u8,
    /// The property tag (`issue`, `issuewild`, `iodef`…), as written.
    pub tag: &'a [u8],
    /// The property value, as octets.
    pub value: &'a [u8],
}

/// Decodes CAA RDATA.
#[must_use]
pub fn caa(wire: &[u8]) -> Option<Caa<'_>> {
    let mut reader = Reader::new(wire);
    Some(Caa {
        flags: reader.u8()?,
        tag: reader.char_string()?,
        value: reader.rest(),
    })
}

/// SVCB or HTTPS RDATA (RFC 9460).
#[derive(Clone, Debug)]
pub struct Svcb<'a> {
    /// 0 for AliasMode, otherwise the ServiceMode priority.
    pub priority: u16,
    /// The target name (`.`: the owner itself in ServiceMode).
    pub target: &'a NameRef,
    /// The parameters, in wire (key) order.
    pub params: SvcParams<'a>,
}

impl<'a> Svcb<'a> {
    /// The wire value of the parameter with `key`, if present (`Some(&[])` for a key
    /// without a value, such as `no-default-alpn`).
    #[must_use]
    pub fn param(&self, key: u16) -> Option<&'a [u8]> {
        self.params
            .clone()
            .find(|param| param.key == key)
            .map(|param| param.value)
    }

    /// The ALPN protocol identifiers of the `alpn` parameter (empty if there is none).
    #[must_use]
    pub fn alpn(&self) -> TxtStrings<'a> {
        txt_strings(self.param(1).unwrap_or_default())
    }
}

/// Decodes SVCB or HTTPS RDATA.
#[must_use]
pub fn svcb(wire: &[u8]) -> Option<Svcb<'_>> {
    let mut reader = Reader::new(wire);
    Some(Svcb {
        priority: reader.u16()?,
        target: name(&mut reader)?,
        params: SvcParams::new(reader.rest()),
    })
}

/// RRSIG RDATA (RFC 4034 §3.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rrsig<'a> {
    /// The type of the RRset it signs.
    pub type_covered: RType,
    /// The DNSSEC algorithm number.
    pub algorithm: u8,
    /// Labels in the original owner name (wildcards have fewer than the owner).
    pub labels: u8,
    /// The TTL of the RRset as signed.
    pub original_ttl: u32,
    /// Expiration, in seconds since 1970 (modulo 2^32, RFC 4034 §3.1.5).
    pub expiration: u32,
    /// Inception, in seconds since 1970 (modulo 2^32).
    pub inception: u32,
    /// The key tag of the signing DNSKEY.
    pub key_tag: u16,
    /// The zone the signing key belongs to.
    pub signer: &'a NameRef,
    /// The signature octets.
    pub signature: &'a [u8],
}

/// Decodes RRSIG RDATA.
#[must_use]
pub fn rrsig(wire: &[u8]) -> Option<Rrsig<'_>> {
    let mut reader = Reader::new(wire);
    Some(Rrsig {
        type_covered: RType(reader.u16()?),
        algorithm: reader.u8()?,
        labels: reader.u8()?,
        original_ttl: reader.u32()?,
        expiration: reader.u32()?,
        inception: reader.u32()?,
        key_tag: reader.u16()?,
        signer: name(&mut reader)?,
        signature: reader.rest(),
    })
}

/// DS-like RDATA (DS, CDS, DLV, TA; RFC 4034 §5.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ds<'a> {
    /// The key tag of the DNSKEY it points to.
    pub key_tag: u16,
    /// That key's algorithm.
    pub algorithm: u8,
    /// The digest algorithm (1 SHA-1, 2 SHA-256, 4 SHA-384).
    pub digest_type: u8,
    /// The digest octets.
    pub digest: &'a [u8],
}

/// Decodes DS, CDS, DLV or TA RDATA.
#[must_use]
pub fn ds(wire: &[u8]) -> Option<Ds<'_>> {
    let mut reader = Reader::new(wire);
    Some(Ds {
        key_tag: reader.u16()?,
        algorithm: reader.u8()?,
        digest_type: reader.u8()?,
        digest: reader.rest(),
    })
}

/// DNSKEY-like RDATA (DNSKEY, CDNSKEY; RFC 4034 §2.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dnskey<'a> {
    /// Flags: 0x0100 zone key, 0x0001 secure entry point, 0x0080 revoked.
    pub flags: u16,
    /// Always 3 in valid keys.
    pub protocol: u8,
    /// The DNSSEC algorithm number.
    pub algorithm: u8,
    /// The public key octets.
    pub public_key: &'a [u8],
}

/// Decodes DNSKEY or CDNSKEY RDATA.
#[must_use]
pub fn dnskey(wire: &[u8]) -> Option<Dnskey<'_>> {
    let mut reader = Reader::new(wire);
    Some(Dnskey {
        flags: reader.u16()?,
        protocol: reader.u8()?,
        algorithm: reader.u8()?,
        public_key: reader.rest(),
    })
}

/// NSEC RDATA (RFC 4034 §4.1).
#[derive(Clone, Debug)]
pub struct Nsec<'a> {
    /// The next owner name in canonical order.
    pub next: &'a NameRef,
    /// The types present at the owner.
    pub types: TypeBitmap<'a>,
}

/// Decodes NSEC RDATA.
#[must_use]
pub fn nsec(wire: &[u8]) -> Option<Nsec<'_>> {
    let mut reader = Reader::new(wire);
    let next = name(&mut reader)?;
    let bitmap = reader.rest();
    super::bitmap::check(bitmap).ok()?;
    Some(Nsec {
        next,
        types: TypeBitmap::new(bitmap),
    })
}

/// NSEC3 RDATA (RFC 5155 §3.2).
#[derive(Clone, Debug)]
pub struct Nsec3<'a> {
    /// The hash algorithm (1 is SHA-1).
    pub hash_algorithm: u8,
    /// Flags; 0x01 is opt-out.
    pub flags: u8,
    /// Extra hash iterations (RFC 9276 recommends 0).
    pub iterations: u16,
    /// The salt octets (RFC 9276 recommends none).
    pub salt: &'a [u8],
    /// The next hashed owner name, as raw hash octets.
    pub next_hashed_owner: &'a [u8],
    /// The types present at the original owner.
    pub types: TypeBitmap<'a>,
}

/// Decodes NSEC3 RDATA.
#[must_use]
pub fn nsec3(wire: &[u8]) -> Option<Nsec3<'_>> {
    let mut reader = Reader::new(wire);
    let hash_algorithm = reader.u8()?;
    let flags = reader.u8()?;
    let iterations = reader.u16()?;
    let salt = reader.char_string()?;
    let next_hashed_owner = reader.char_string()?;
    let bitmap = reader.rest();
    super::bitmap::check(bitmap).ok()?;
    Some(Nsec3 {
        hash_algorithm,
        flags,
        iterations,
        salt,
        next_hashed_owner,
        types: TypeBitmap::new(bitmap),
    })
}

/// NSEC3PARAM RDATA (RFC 5155 §4.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Nsec3Param<'a> {
    /// The hash algorithm (1 is SHA-1).
    pub hash_algorithm: u8,
    /// Flags (must be 0 in NSEC3PARAM).
    pub flags: u8,
    /// Extra hash iterations.
    pub iterations: u16,
    /// The salt octets.
    pub salt: &'a [u8],
}

/// Decodes NSEC3PARAM RDATA.
#[must_use]
pub fn nsec3param(wire: &[u8]) -> Option<Nsec3Param<'_>> {
    let mut reader = Reader::new(wire);
    let param = Nsec3Param {
        hash_algorithm: reader.u8()?,
        flags: reader.u8()?,
        iterations: reader.u16()?,
        salt: reader.char_string()?,
    };
    reader.is_empty().then_some(param)
}

/// The RFC 4034 §B key tag of DNSKEY RDATA (the whole wire form).
#[must_use]
pub fn key_tag(dnskey_wire: &[u8]) -> u16 {
    let mut sum: u32 = 0;
    for (i, &byte) in dnskey_wire.iter().enumerate() {
        sum += if i % 2 == 0 {
            u32::from(byte) << 8
        } else {
            u32::from(byte)
        };
    }
    sum += sum >> 16;
    (sum & 0xFFFF) as u16
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rdata::tests::parse_text;

    fn wire(rtype: RType, text: &str) -> Vec<u8> {
        parse_text(rtype, text).0.unwrap()
    }

    #[test]
    fn soa_mx_srv_and_names() {
        let w = wire(RType::SOA, "ns1 host\\.master 2024010101 1h 30m 2w 1d");
        let soa = soa(&w).unwrap();
        assert_eq!(soa.mname.to_string(), "ns1.example.com.");
        assert_eq!(soa.rname.labels().next().unwrap(), b"host.master");
        assert_eq!(
            (soa.serial, soa.refresh, soa.retry, soa.expire, soa.minimum),
            (2_024_010_101, 3600, 1800, 1_209_600, 86_400)
        );
        assert!(super::soa(&w[..w.len() - 1]).is_none());

        let w = wire(RType::MX, "10 mail");
        let mx = mx(&w).unwrap();
        assert_eq!(
            (mx.preference, mx.exchange.to_string().as_str()),
            (10, "mail.example.com.")
        );

        let w = wire(RType::SRV, "1 2 443 .");
        let srv = srv(&w).unwrap();
        assert_eq!((srv.priority, srv.weight, srv.port), (1, 2, 443));
        assert_eq!(srv.target.as_wire(), &[0]);

        let w = wire(RType::CNAME, "www.example.org.");
        assert_eq!(single_name(&w).unwrap().to_string(), "www.example.org.");
        assert!(single_name(&[1, b'a']).is_none());
        assert!(single_name(&[64]).is_none());
        assert!(single_name(&[0, 0]).is_none());
        assert!(NameRef::from_wire(&[1, b'a', 0]).is_some());
        assert!(NameRef::from_wire(&[1, b'a']).is_none());
        assert!(NameRef::from_wire(&[0, 0]).is_none());
    }

    #[test]
    fn txt_caa_and_svcb() {
        let w = wire(RType::TXT, r#""v=spf1" "a\"b" plain"#);
        let strings: Vec<&[u8]> = txt_strings(&w).collect();
        assert_eq!(strings, [&b"v=spf1"[..], b"a\"b", b"plain"]);

        let w = wire(RType::CAA, r#"128 issue "ca.example; x=1""#);
        let caa = caa(&w).unwrap();
        assert_eq!(
            (caa.flags, caa.tag, caa.value),
            (128, &b"issue"[..], &b"ca.example; x=1"[..])
        );

        let w = wire(RType::HTTPS, "1 . port=8443 alpn=h2,h3");
        let svcb = svcb(&w).unwrap();
        assert_eq!(svcb.priority, 1);
        assert_eq!(svcb.target.as_wire(), &[0]);
        assert_eq!(svcb.param(3), Some(&[0x20, 0xFB][..]));
        assert_eq!(svcb.param(2), None);
        assert_eq!(svcb.alpn().collect::<Vec<_>>(), [&b"h2"[..], b"h3"]);
        let params: Vec<SvcParam<'_>> = svcb.params.collect();
        assert_eq!(
            params,
            [
                SvcParam {
                    key: 1,
                    value: b"\x02h2\x02h3"
                },
                SvcParam {
                    key: 3,
                    value: &[0x20, 0xFB]
                },
            ]
        );
    }

    #[test]
    fn dnssec_views() {
        let w = wire(
            RType::RRSIG,
            "A 13 3 3600 20240201000000 20240101000000 12345 example.com. AAAA",
        );
        let sig = rrsig(&w).unwrap();
        assert_eq!(sig.type_covered, RType::A);
        assert_eq!((sig.algorithm, sig.labels, sig.original_ttl), (13, 3, 3600));
        assert_eq!(
            (sig.expiration, sig.inception),
            (1_706_745_600, 1_704_067_200)
        );
        assert_eq!(sig.key_tag, 12345);
        assert_eq!(sig.signer.to_string(), "example.com.");
        assert_eq!(sig.signature, &[0, 0, 0]);

        let w = wire(
            RType::DS,
            "60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118",
        );
        let ds = ds(&w).unwrap();
        assert_eq!(
            (ds.key_tag, ds.algorithm, ds.digest_type, ds.digest.len()),
            (60485, 5, 1, 20)
        );

        // Key tags from dnspython 2.9 (`dns.dnssec.key_id`).
        let w = wire(
            RType::DNSKEY,
            "257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==",
        );
        let key = dnskey(&w).unwrap();
        assert_eq!(
            (key.flags, key.protocol, key.algorithm, key.public_key.len()),
            (257, 3, 13, 64)
        );
        assert_eq!(key_tag(&w), 2371);
        let w = wire(
            RType::DNSKEY,
            "256 3 8 AwEAAb4N53kPbyRPi5+4 9Z+m7F7F+fe9/o4S0t8jkM5u/Mw=",
        );
        assert_eq!(key_tag(&w), 10995);
    }

    #[test]
    fn denial_of_existence_views() {
        let w = wire(RType::NSEC, "host.example.com. A MX RRSIG NSEC TYPE1234");
        let nsec = nsec(&w).unwrap();
        assert_eq!(nsec.next.to_string(), "host.example.com.");
        let types: Vec<RType> = nsec.types.clone().collect();
        assert_eq!(
            types,
            [RType::A, RType::MX, RType::RRSIG, RType::NSEC, RType(1234)]
        );
        assert!(nsec.types.contains(RType::MX));
        assert!(!nsec.types.contains(RType::AAAA));

        let w = wire(
            RType::NSEC3,
            "1 1 12 AABBCCDD 2T7B4G4VSA5SMI47K61MV5BV1A22BOJR A RRSIG",
        );
        let nsec3 = nsec3(&w).unwrap();
        assert_eq!(
            (nsec3.hash_algorithm, nsec3.flags, nsec3.iterations),
            (1, 1, 12)
        );
        assert_eq!(nsec3.salt, &[0xAA, 0xBB, 0xCC, 0xDD]);
        assert_eq!(nsec3.next_hashed_owner.len(), 20);
        assert_eq!(nsec3.types.collect::<Vec<_>>(), [RType::A, RType::RRSIG]);

        let w = wire(RType::NSEC3PARAM, "1 0 0 -");
        let param = nsec3param(&w).unwrap();
        assert_eq!((param.iterations, param.salt), (0, &[][..]));

        // A malformed bitmap gives no view rather than a wrong one.
        assert!(super::nsec(&[0, 0, 0]).is_none());
    }
}
