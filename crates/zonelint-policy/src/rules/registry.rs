//! The one list of every rule. Codes and slugs never collide (a test checks).

use super::{bimi, dkim, dmarc, mta, mx, spf, zone, Rule, RuleMeta};

static RULES: &[&dyn Rule] = &[
    &zone::soa_missing::SoaMissing,
    &zone::soa_multiple::SoaMultiple,
    &zone::soa_not_apex::SoaNotApex,
    &zone::apex_ns_missing::ApexNsMissing,
    &zone::out_of_zone::OutOfZone,
    &zone::cname_with_data::CnameWithData,
    &zone::cname_multiple::CnameMultiple,
    &zone::dname_conflict::DnameConflict,
    &zone::occluded::Occluded,
    &zone::glue_missing::GlueMissing,
    &zone::target_alias::TargetAlias,
    &zone::target_address::TargetAddress,
    &zone::target_dangling::TargetDangling,
    &zone::rrset_ttl_mismatch::RrsetTtlMismatch,
    &zone::duplicate_record::DuplicateRecord,
    &zone::doubled_origin::DoubledOrigin,
    &zone::nonterminal_wildcard::NonterminalWildcard,
    &zone::hostname_syntax::HostnameSyntax,
    &zone::ttl_range::TtlRange,
    &zone::ds_at_apex::DsAtApex,
    &zone::cname_loop::CnameLoop,
    &zone::default_ttl::DefaultTtl,
    &zone::ns_single::NsSingle,
    &zone::rrsig_expired::RrsigExpired,
    &zone::type_obsolete::TypeObsolete,
    &zone::class_mismatch::ClassMismatch,
    &zone::caa_invalid::CaaInvalid,
    &zone::svcb_semantics::SvcbSemantics,
    &spf::plus_all::PlusAll,
    &spf::neutral_all::NeutralAll,
    &spf::softfail_all::SoftfailAll,
    &spf::no_terminal::NoTerminal,
    &spf::include_permissive::IncludePermissive,
    &spf::overbroad_network::OverbroadNetwork,
    &spf::multiple_records::MultipleRecords,
    &spf::version_malformed::VersionMalformed,
    &spf::syntax::Syntax,
    &spf::terms_after_all::TermsAfterAll,
    &spf::redirect_with_all::RedirectWithAll,
    &spf::duplicate_modifier::DuplicateModifier,
    &spf::unknown_modifier::UnknownModifier,
    &spf::ptr::Ptr,
    &spf::p_macro::PMacro,
    &spf::macro_syntax::MacroSyntax,
    &spf::lookup_limit::LookupLimit,
    &spf::lookup_headroom::LookupHeadroom,
    &spf::void_limit::VoidLimit,
    &spf::mx_too_many_hosts::MxTooManyHosts,
    &spf::include_target_no_spf::IncludeTargetNoSpf,
    &spf::include_loop::IncludeLoop,
    &spf::redundant_term::RedundantTerm,
    &spf::exists_constant::ExistsConstant,
    &spf::nonpublic_address::NonpublicAddress,
    &spf::rrset_size::RrsetSize,
    &spf::string_join::StringJoin,
    &spf::type99::Type99,
    &spf::senderid::SenderId,
    &spf::non_ascii::NonAscii,
    &spf::domain_spec_invalid::DomainSpecInvalid,
    &spf::exp_target::ExpTarget,
    &spf::all_repeated::AllRepeated,
    &spf::a_mx_implicit_void::AMxImplicitVoid,
    &spf::include_semantics::IncludeSemantics,
    &spf::on_underscore_name::OnUnderscoreName,
    &spf::external_target::ExternalTarget,
    &dmarc::missing::Missing,
    &dmarc::multiple::Multiple,
    &dmarc::version::Version,
    &dmarc::syntax::Syntax,
    &dmarc::unknown_tag::UnknownTag,
    &dmarc::p_missing_invalid::PMissingInvalid,
    &dmarc::p_none::PNone,
    &dmarc::p_quarantine::PQuarantine,
    &dmarc::sp_weaker::SpWeaker,
    &dmarc::np_weaker::NpWeaker,
    &dmarc::testing::Testing,
    &dmarc::removed_tags::RemovedTags,
    &dmarc::p_not_second::PNotSecond,
    &dmarc::no_rua::NoRua,
    &dmarc::uri_invalid::UriInvalid,
    &dmarc::size_suffix::SizeSuffix,
    &dmarc::external_dest::ExternalDest,
    &dmarc::report_auth_malformed::ReportAuthMalformed,
    &dmarc::rua_undeliverable::RuaUndeliverable,
    &dmarc::wrong_location::WrongLocation,
    &dmarc::sp_ignored::SpIgnored,
    &dmarc::subdomain_override_weaker::SubdomainOverrideWeaker,
    &dmarc::psd_misuse::PsdMisuse,
    &dmarc::discovery_divergence::DiscoveryDivergence,
    &dmarc::reject_without_dkim::RejectWithoutDkim,
    &dmarc::foreign_txt::ForeignTxt,
    &dmarc::fo_without_ruf::FoWithoutRuf,
    &dmarc::wildcard::Wildcard,
    &dkim::syntax::Syntax,
    &dkim::p_missing::PMissing,
    &dkim::revoked::Revoked,
    &dkim::key_undecodable::KeyUndecodable,
    &dkim::rsa_size::RsaSize,
    &dkim::sha1_only::Sha1Only,
    &dkim::testing_flag::TestingFlag,
    &dkim::unknown_key_type::UnknownKeyType,
    &dkim::service_type::ServiceType,
    &dkim::multiple_records::MultipleRecords,
    &dkim::misplaced::Misplaced,
    &dkim::legacy::Legacy,
    &mx::null_with_others::NullWithOthers,
    &mx::null_nonzero_pref::NullNonzeroPref,
    &mx::target_cname::TargetCname,
    &mx::target_dangling::TargetDangling,
    &mx::target_suspicious::TargetSuspicious,
    &mx::implicit::Implicit,
    &mx::null_but_sends::NullButSends,
    &mx::null_unneeded::NullUnneeded,
    &mx::helo_spf::HeloSpf,
    &mta::sts_syntax::StsSyntax,
    &mta::no_policy_host::NoPolicyHost,
    &mta::transport_on_nonmail::TransportOnNonmail,
    &mta::tlsrpt_syntax::TlsRptSyntax,
    &bimi::prereq::Prereq,
    &bimi::syntax::Syntax,
    &super::cov::spf_missing::SpfMissing,
    &super::cov::wildcard_spf_gap::WildcardSpfGap,
    &super::cov::nonsender_not_null::NonsenderNotNull,
    &super::cov::dmarc_effective_weak::DmarcEffectiveWeak,
    &super::cov::dmarc_nonexistent::DmarcNonexistent,
    &super::cov::parked_profile::ParkedProfile,
    &super::cov::dkim_for_senders::DkimForSenders,
    &super::cov::parent_policy_unknown::ParentPolicyUnknown,
    &super::cov::cname_auth_scope::CnameAuthScope,
    &super::cov::wildcard_txt_noise::WildcardTxtNoise,
    &crate::suppress::UnusedSuppression,
];

/// Every rule, in code order.
#[must_use]
pub fn rules() -> &'static [&'static dyn Rule] {
    RULES
}

/// The rule with this code or slug (any case).
#[must_use]
pub fn find(code_or_slug: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|rule| {
        let code = rule.meta().code;
        code.code.eq_ignore_ascii_case(code_or_slug) || code.slug.eq_ignore_ascii_case(code_or_slug)
    })
}

/// Every documented code, in catalog order: the parser's own codes (which no lint runs,
/// but which have pages like every rule), then the rules.
pub fn pages() -> impl Iterator<Item = &'static RuleMeta> {
    super::parse::PAGES
        .iter()
        .chain(RULES.iter().map(|rule| rule.meta()))
}

/// The page of a rule or parse code, by code or slug (ASCII case-insensitive).
#[must_use]
pub fn find_page(code_or_slug: &str) -> Option<&'static RuleMeta> {
    pages().find(|meta| {
        meta.code.code.eq_ignore_ascii_case(code_or_slug)
            || meta.code.slug.eq_ignore_ascii_case(code_or_slug)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_and_slugs_are_unique_and_well_formed() {
        let mut codes = HashSet::new();
        let mut slugs = HashSet::new();
        for rule in rules() {
            let meta = rule.meta();
            assert!(
                codes.insert(meta.code.code),
                "duplicate code {}",
                meta.code.code
            );
            assert!(
                slugs.insert(meta.code.slug),
                "duplicate slug {}",
                meta.code.slug
            );
            let family = meta.family();
            assert!(
                meta.code.code.len() == family.len() + 3,
                "{} is not FAMILY + 3 digits",
                meta.code.code
            );
            assert!(
                meta.code
                    .slug
                    .starts_with(&format!("{}-", family.to_ascii_lowercase()))
                    || family == "MTA",
                "slug {} does not start with its family",
                meta.code.slug
            );
        }
    }

    #[test]
    fn rules_are_listed_in_code_order() {
        let codes: Vec<&str> = rules().iter().map(|r| r.meta().code.code).collect();
        let mut sorted = codes.clone();
        sorted.sort_by_key(|code| {
            let family = code.trim_end_matches(|c: char| c.is_ascii_digit());
            let order = [
                "PARSE", "ZONE", "SPF", "DMARC", "DKIM", "MX", "MTA", "BIMI", "COV", "LINT",
            ]
            .iter()
            .position(|f| *f == family);
            (order, *code)
        });
        assert_eq!(codes, sorted);
    }
}
