//! Just enough DER (ITU-T X.690) to read an RSA public key: `SubjectPublicKeyInfo`
//! (RFC 5280 §4.1) or `RSAPublicKey` (RFC 8017 §A.1.1). Every read is bounds-checked;
//! hostile input yields an error, never a panic or a huge allocation.

/// Why a key does not read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DerError {
    /// The data ends inside an element.
    Truncated,
    /// An element has an unexpected tag.
    UnexpectedTag,
    /// A length that is not minimal DER, or indefinite.
    BadLength,
    /// Bytes left after the outer element.
    TrailingData,
    /// A well-formed key of another algorithm (the OID is not rsaEncryption).
    NotRsa,
    /// An integer that is negative or zero.
    BadInteger,
}

/// The algorithm of a SubjectPublicKeyInfo that is not RSA.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OtherAlgorithm {
    /// Ed25519 (1.3.101.112).
    Ed25519,
    /// Anything else.
    Unknown,
}

/// How an RSA key was wrapped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RsaFormat {
    /// SubjectPublicKeyInfo (what RFC 6376 §3.6.1 specifies).
    SubjectPublicKeyInfo,
    /// A bare PKCS#1 RSAPublicKey (accepted by most verifiers).
    RsaPublicKey,
}

/// What an RSA key reads as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RsaKey {
    /// The wrapping.
    pub format: RsaFormat,
    /// The modulus length in bits.
    pub modulus_bits: u32,
    /// The public exponent, if it fits in 64 bits.
    pub exponent: Option<u64>,
}

const SEQUENCE: u8 = 0x30;
const INTEGER: u8 = 0x02;
const BIT_STRING: u8 = 0x03;
const NULL: u8 = 0x05;
const OID: u8 = 0x06;
/// 1.2.840.113549.1.1.1
const RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
/// 1.3.101.112
const ED25519: &[u8] = &[0x2b, 0x65, 0x70];

/// Reads one element: returns (tag, contents, rest).
fn element(input: &[u8]) -> Result<(u8, &[u8], &[u8]), DerError> {
    let (&tag, rest) = input.split_first().ok_or(DerError::Truncated)?;
    let (&first, mut rest) = rest.split_first().ok_or(DerError::Truncated)?;
    let length = if first < 0x80 {
        usize::from(first)
    } else {
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 4 {
            return Err(DerError::BadLength);
        }
        let bytes = rest.get(..count).ok_or(DerError::Truncated)?;
        rest = rest.get(count..).ok_or(DerError::Truncated)?;
        if bytes.first() == Some(&0) {
            return Err(DerError::BadLength);
        }
        let length = bytes.iter().fold(0usize, |n, &b| (n << 8) | usize::from(b));
        if length < 0x80 {
            return Err(DerError::BadLength);
        }
        length
    };
    let contents = rest.get(..length).ok_or(DerError::Truncated)?;
    let after = rest.get(length..).ok_or(DerError::Truncated)?;
    Ok((tag, contents, after))
}

fn expect(input: &[u8], tag: u8) -> Result<(&[u8], &[u8]), DerError> {
    let (found, contents, rest) = element(input)?;
    if found == tag {
        Ok((contents, rest))
    } else {
        Err(DerError::UnexpectedTag)
    }
}

/// Reads an `RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }`.
fn rsa_public_key(input: &[u8], format: RsaFormat) -> Result<RsaKey, DerError> {
    let (sequence, rest) = expect(input, SEQUENCE)?;
    if !rest.is_empty() {
        return Err(DerError::TrailingData);
    }
    let (modulus, after) = expect(sequence, INTEGER)?;
    let (exponent, after) = expect(after, INTEGER)?;
    if !after.is_empty() {
        return Err(DerError::TrailingData);
    }
    let modulus_bits = positive_bits(modulus)?;
    positive_bits(exponent)?;
    let significant: Vec<u8> = exponent.iter().copied().skip_while(|&b| b == 0).collect();
    let exponent = (significant.len() <= 8).then(|| {
        significant
            .iter()
            .fold(0u64, |n, &b| (n << 8) | u64::from(b))
    });
    Ok(RsaKey {
        format,
        modulus_bits,
        exponent,
    })
}

/// The bit length of a positive DER INTEGER.
fn positive_bits(integer: &[u8]) -> Result<u32, DerError> {
    let first = integer.first().ok_or(DerError::BadInteger)?;
    if first & 0x80 != 0 {
        return Err(DerError::BadInteger);
    }
    let significant: &[u8] = {
        let skip = integer.iter().take_while(|&&b| b == 0).count();
        integer.get(skip..).unwrap_or_default()
    };
    let Some(&top) = significant.first() else {
        return Err(DerError::BadInteger);
    };
    let bytes = u32::try_from(significant.len()).map_err(|_| DerError::BadLength)?;
    Ok((bytes - 1) * 8 + (8 - top.leading_zeros()))
}

/// Reads an RSA key as SubjectPublicKeyInfo, or else as a bare RSAPublicKey.
/// `Err(NotRsa)` comes with the algorithm when the SPKI is of another algorithm.
pub fn read_rsa_key(der: &[u8]) -> Result<RsaKey, (DerError, Option<OtherAlgorithm>)> {
    match spki(der) {
        Ok(key) => Ok(key),
        Err(error @ (DerError::NotRsa, _)) => Err(error),
        Err((spki_error, _)) => {
            rsa_public_key(der, RsaFormat::RsaPublicKey).map_err(|pkcs1_error| {
                // Report the error of the form the data looked more like.
                let error = if spki_error == DerError::UnexpectedTag {
                    pkcs1_error
                } else {
                    spki_error
                };
                (error, None)
            })
        }
    }
}

fn spki(der: &[u8]) -> Result<RsaKey, (DerError, Option<OtherAlgorithm>)> {
    let plain = |e: DerError| (e, None);
    let (outer, rest) = expect(der, SEQUENCE).map_err(plain)?;
    if !rest.is_empty() {
        return Err(plain(DerError::TrailingData));
    }
    let (algorithm, after) = expect(outer, SEQUENCE).map_err(plain)?;
    let (oid, parameters) = expect(algorithm, OID).map_err(plain)?;
    if oid != RSA_ENCRYPTION {
        let other = if oid == ED25519 {
            OtherAlgorithm::Ed25519
        } else {
            OtherAlgorithm::Unknown
        };
        return Err((DerError::NotRsa, Some(other)));
    }
    if !parameters.is_empty() {
        let (params, rest) = expect(parameters, NULL).map_err(plain)?;
        if !params.is_empty() || !rest.is_empty() {
            return Err(plain(DerError::TrailingData));
        }
    }
    let (bits, rest) = expect(after, BIT_STRING).map_err(plain)?;
    if !rest.is_empty() {
        return Err(plain(DerError::TrailingData));
    }
    let (&unused, key) = bits.split_first().ok_or(plain(DerError::Truncated))?;
    if unused != 0 {
        return Err(plain(DerError::BadLength));
    }
    rsa_public_key(key, RsaFormat::SubjectPublicKeyInfo).map_err(plain)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// DER length bytes for `n`.
    fn length(n: usize) -> Vec<u8> {
        if n < 0x80 {
            vec![n as u8]
        } else if n < 0x100 {
            vec![0x81, n as u8]
        } else {
            vec![0x82, (n >> 8) as u8, n as u8]
        }
    }

    fn tlv(tag: u8, contents: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        out.extend(length(contents.len()));
        out.extend_from_slice(contents);
        out
    }

    /// An RSAPublicKey with a modulus of `bits` bits (top bit set) and exponent 65537.
    pub(crate) fn pkcs1(bits: usize) -> Vec<u8> {
        let mut modulus = vec![0u8];
        let bytes = bits.div_ceil(8);
        let mut m = vec![0xffu8; bytes];
        m[0] = 0xff >> (bytes * 8 - bits);
        modulus.extend(m);
        let mut body = tlv(INTEGER, &modulus);
        body.extend(tlv(INTEGER, &[0x01, 0x00, 0x01]));
        tlv(SEQUENCE, &body)
    }

    pub(crate) fn spki_of(key: &[u8]) -> Vec<u8> {
        let mut algorithm = tlv(OID, RSA_ENCRYPTION);
        algorithm.extend(tlv(NULL, &[]));
        let mut body = tlv(SEQUENCE, &algorithm);
        let mut bits = vec![0u8];
        bits.extend_from_slice(key);
        body.extend(tlv(BIT_STRING, &bits));
        tlv(SEQUENCE, &body)
    }

    #[test]
    fn reads_both_wrappings() {
        for bits in [512, 1023, 1024, 2048, 4096] {
            let key = pkcs1(bits);
            assert_eq!(
                read_rsa_key(&key),
                Ok(RsaKey {
                    format: RsaFormat::RsaPublicKey,
                    modulus_bits: bits as u32,
                    exponent: Some(65537)
                })
            );
            assert_eq!(
                read_rsa_key(&spki_of(&key)),
                Ok(RsaKey {
                    format: RsaFormat::SubjectPublicKeyInfo,
                    modulus_bits: bits as u32,
                    exponent: Some(65537)
                })
            );
        }
    }

    #[test]
    fn hostile_input_is_an_error() {
        let key = spki_of(&pkcs1(2048));
        for cut in 0..key.len() {
            assert!(read_rsa_key(&key[..cut]).is_err(), "cut at {cut}");
        }
        assert!(read_rsa_key(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff]).is_err());
        assert!(read_rsa_key(&[0x30, 0x80, 0x00, 0x00]).is_err());
        let mut trailing = key;
        trailing.push(0);
        assert!(read_rsa_key(&trailing).is_err());
        let mut ed = tlv(SEQUENCE, &tlv(OID, ED25519));
        ed.extend(tlv(BIT_STRING, &[0; 33]));
        assert_eq!(
            read_rsa_key(&tlv(SEQUENCE, &ed)),
            Err((DerError::NotRsa, Some(OtherAlgorithm::Ed25519)))
        );
    }
}
