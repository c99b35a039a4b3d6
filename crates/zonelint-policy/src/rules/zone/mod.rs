//! ZONE: zone structure (what named-checkzone, kzonecheck and validns check, and more).

pub mod apex_ns_missing;
pub mod class_mismatch;
pub mod cname_multiple;
pub mod cname_with_data;
pub mod doubled_origin;
pub mod ds_at_apex;
pub mod duplicate_record;
pub mod glue_missing;
pub mod occluded;
pub mod out_of_zone;
pub mod rrset_ttl_mismatch;
pub mod soa_missing;
pub mod soa_multiple;
pub mod soa_not_apex;
pub mod target_alias;
pub mod target_dangling;
