//! Reporting for the bureau (issue 12): aggregates only, every figure through [`suppression`]
//! before it leaves the server. Reads, never writes. This first part is the disclosure control the
//! dashboard, its CSV export and the bulletin will all pass their figures through.

pub mod suppression;
