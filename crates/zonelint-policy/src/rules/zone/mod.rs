//! ZONE: zone structure (what named-checkzone, kzonecheck and validns check, and more).

pub mod soa_missing;
