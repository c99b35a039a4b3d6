//! ZONE: zone structure (what named-checkzone, kzonecheck and validns check, and more).

pub mod apex_ns_missing;
pub mod caa_invalid;
pub mod class_mismatch;
pub mod cname_loop;
pub mod cname_multiple;
pub mod cname_with_data;
pub mod default_ttl;
pub mod dname_conflict;
pub mod doubled_origin;
pub mod ds_at_apex;
pub mod duplicate_record;
pub mod glue_missing;
pub mod hostname_syntax;
pub mod nonterminal_wildcard;
pub mod ns_single;
pub mod occluded;
pub mod out_of_zone;
pub mod rrset_ttl_mismatch;
pub mod rrsig_expired;
pub mod soa_missing;
pub mod soa_multiple;
pub mod soa_not_apex;
pub mod svcb_semantics;
pub mod target_address;
pub mod target_alias;
pub mod target_dangling;
pub mod ttl_range;
pub mod type_obsolete;

#[cfg(test)]
mod tests {
    use crate::rules::test_support::lint_text;

    /// One fixture with each structural mistake next to the forms that must stay quiet:
    /// exactly one ZONE/MX finding per marked line, and nothing on the others.
    #[test]
    fn structure_fixture() {
        let text = include_str!("../../../../../testdata/policy/structure.zone");
        let structural: String = lint_text(text)
            .split_inclusive('\n')
            .collect::<Vec<_>>()
            .chunk_by(|_, next| next.starts_with(' '))
            .filter(|finding| {
                finding.first().is_some_and(|line| {
                    let code = line.split(' ').nth(1).unwrap_or_default();
                    code.starts_with("ZONE") || code.starts_with("MX")
                })
            })
            .flatten()
            .copied()
            .collect();
        insta::assert_snapshot!(structural);
    }
}
