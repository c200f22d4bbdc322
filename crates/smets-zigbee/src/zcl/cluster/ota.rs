//! OTA Upgrade 0x0019 in the catalogue (ZCL rev. 8 11).

use super::Cluster;

/// The OTA Upgrade cluster.
pub static CLUSTER: Cluster = Cluster {
    id: 0x0019,
    name: "OTA Upgrade",
    label: "ota",
    clause: "ZCL rev. 8 11",
    attributes: &[],
    client_attributes: &[],
    received: &[],
    generated: &[],
};
