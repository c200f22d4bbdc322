//! Security credential payloads (GBCS 13, use cases CS02a to CS02g):
//! trust anchor cells, credential details, credential updates with their
//! execution outcomes and future-dated alerts, device certificates and
//! certification requests. Certificates are not verified here.

use bytes::BufMut;
use smets_core::{DecodeError, EncodeError, open_enum};

use super::{
    CellUsage, CertificateDer, CertificationRequestDer, DerReader, DerValue, GeneralizedTime,
    KeyUsageBits, LAYER, NULL_ELEM_LEN, RemotePartyRole, SeqOf, StatusCode, Tag, Tlv,
    alert_head_len, check_content, element_len, integer_enum, len_as, len_of, octets_elem_len,
    put_alert_head, put_as, put_null, put_octets_elem, put_of, put_uint_elem, read,
    read_alert_head, read_as, read_null, read_octets, read_opt, read_small, read_uint, small,
    uint_elem_len, whole_payload,
};

open_enum! {
    /// CredentialsReplacementMode INTEGER (GBCS 13): who replaces
    /// whose trust anchors. It is the low byte of the CS02b/CS02g message
    /// code (0x0100 + mode); 0 and 1 are placed by that rule.
    pub enum CredentialsReplacementMode: u8 {
        /// 0: rootBySupplier.
        RootBySupplier = 0 => "root_by_supplier",
        /// 1: rootByWanProvider.
        RootByWanProvider = 1 => "root_by_wan_provider",
        /// 2: supplierBySupplier.
        SupplierBySupplier = 2 => "supplier_by_supplier",
        /// 3: networkOperatorByNetworkOperator.
        NetworkOperatorByNetworkOperator = 3 => "network_operator_by_network_operator",
        /// 4: accessControlBrokerByACB.
        AccessControlBrokerByAcb = 4 => "access_control_broker_by_acb",
        /// 5: wanProviderByWanProvider.
        WanProviderByWanProvider = 5 => "wan_provider_by_wan_provider",
        /// 6: transCoSByTransCoS.
        TransCosByTransCos = 6 => "trans_cos_by_trans_cos",
        /// 7: supplierByTransCoS.
        SupplierByTransCos = 7 => "supplier_by_trans_cos",
        /// 8: anyExceptAbnormalRootByRecovery.
        AnyExceptAbnormalRootByRecovery = 8 => "any_except_abnormal_root_by_recovery",
        /// 9: anyByContingency.
        AnyByContingency = 9 => "any_by_contingency",
        /// 10: loadControllerByLoadController (CS02g, 0x0125).
        LoadControllerByLoadController = 10 => "load_controller_by_load_controller",
        /// 11: loadControllerBySupplier (CS02g, 0x0126).
        LoadControllerBySupplier = 11 => "load_controller_by_supplier",
    }
}

open_enum! {
    /// Seq number usage of a specialist seq number (GBCS 13).
    pub enum SeqNumberUsage: u8 {
        /// 0: prepayment top-up.
        PrepaymentTopUp = 0 => "prepayment_top_up",
    }
}

open_enum! {
    /// Apply time-based CPV checks, `[1]` of the authorising remote party
    /// control (GBCS 13).
    pub enum CpvChecks: u8 {
        /// 0: apply.
        Apply = 0 => "apply",
        /// 1: disapply.
        Disapply = 1 => "disapply",
    }
}

open_enum! {
    /// CS02c error response INTEGER (GBCS 13).
    pub enum IssueCredentialsError: u8 {
        /// 1: invalid key usage.
        InvalidKeyUsage = 1 => "invalid_key_usage",
        /// 2: key pair generation failed.
        KeyPairGenerationFailed = 2 => "key_pair_generation_failed",
        /// 3: certification request production failed.
        CrProductionFailed = 3 => "cr_production_failed",
    }
}

open_enum! {
    /// CS02d response INTEGER (GBCS 13).
    pub enum UpdateDeviceCertificateCode: u8 {
        /// 0: success.
        Success = 0 => "success",
        /// 1: invalid certificate.
        InvalidCertificate = 1 => "invalid_certificate",
        /// 2: wrong device identity.
        WrongDeviceIdentity = 2 => "wrong_device_identity",
        /// 3: invalid key usage.
        InvalidKeyUsage = 3 => "invalid_key_usage",
        /// 4: no corresponding key pair generated.
        NoCorrespondingKeyPair = 4 => "no_corresponding_key_pair",
        /// 5: wrong public key.
        WrongPublicKey = 5 => "wrong_public_key",
        /// 6: certificate storage failed.
        CertificateStorageFailed = 6 => "certificate_storage_failed",
        /// 7: private key change failed.
        PrivateKeyChangeFailed = 7 => "private_key_change_failed",
    }
}

open_enum! {
    /// CS02e error response INTEGER (GBCS 13).
    pub enum ProvideDeviceCertificateError: u8 {
        /// 1: invalid key usage.
        InvalidKeyUsage = 1 => "invalid_key_usage",
        /// 2: no certificate held.
        NoCertificateHeld = 2 => "no_certificate_held",
        /// 3: certificate retrieval failure.
        CertificateRetrievalFailure = 3 => "certificate_retrieval_failure",
    }
}

integer_enum!(
    CredentialsReplacementMode => "credentials replacement mode",
    SeqNumberUsage => "seq number usage",
    IssueCredentialsError => "response code",
    UpdateDeviceCertificateCode => "response code",
    ProvideDeviceCertificateError => "response code",
);
whole_payload!(UpdateDeviceCertificateCode);

const TAG_PLAINTEXT_KEY: Tag = Tag::context(0, false);
const TAG_CPV_CHECKS: Tag = Tag::context(1, false);
const TAG_AUTHORISING_CELL: Tag = Tag::context(2, true);
const TAG_AUTHORISING_SEQ: Tag = Tag::context(3, false);
const TAG_FLOOR_SEQ: Tag = Tag::context(4, false);
const TAG_SPECIALIST_FLOORS: Tag = Tag::context(5, true);
const TAG_OTHER_CHANGES: Tag = Tag::context(6, true);

/// TrustAnchorCellIdentifier SEQUENCE {remotePartyRole, keyUsage,
/// cellUsage DEFAULT management} (GBCS 13).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct TrustAnchorCellIdentifier {
    /// Whose trust anchor.
    pub role: RemotePartyRole,
    /// Digital signature or key agreement.
    pub key_usage: KeyUsageBits,
    /// `None` when left out (management, the DEFAULT).
    pub cell_usage: Option<CellUsage>,
}

impl DerValue<'_> for TrustAnchorCellIdentifier {
    const TAG: Tag = Tag::SEQUENCE;

    fn from_tlv(t: &Tlv<'_>) -> Result<Self, DecodeError> {
        let mut r = t.reader();
        let role = read(&mut r, "remote party role")?;
        let key_usage = read(&mut r, "key usage")?;
        let cell_usage = read_opt(&mut r, Tag::INTEGER, "cell usage")?;
        r.finish()?;
        Ok(Self {
            role,
            key_usage,
            cell_usage,
        })
    }

    fn content_len(&self) -> usize {
        len_of(&self.role) + len_of(&self.key_usage) + self.cell_usage.as_ref().map_or(0, len_of)
    }

    fn put_content<B: BufMut>(&self, out: &mut B) {
        put_of(out, &self.role);
        put_of(out, &self.key_usage);
        if let Some(c) = &self.cell_usage {
            put_of(out, c);
        }
    }
}

/// CS02a/CS02f command (0x0008, 0x011B): SEQUENCE {authorising remote
/// party TA cell identifier, SEQUENCE OF the roles whose credentials are
/// wanted} (GBCS 13).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ProvideCredentialDetailsCommand<'a> {
    /// The trust anchor that authorises the request.
    pub authorising_cell: TrustAnchorCellIdentifier,
    /// Remote party roles whose credentials are asked for.
    pub roles: SeqOf<'a, RemotePartyRole>,
}

impl<'a> DerValue<'a> for ProvideCredentialDetailsCommand<'a> {
    const TAG: Tag = Tag::SEQUENCE;

    fn from_tlv(t: &Tlv<'a>) -> Result<Self, DecodeError> {
        let mut r = t.reader();
        let authorising_cell = read(&mut r, "authorising TA cell identifier")?;
        let roles = read(&mut r, "remote party roles")?;
        r.finish()?;
        Ok(Self {
            authorising_cell,
            roles,
        })
    }

    fn content_len(&self) -> usize {
        len_of(&self.authorising_cell) + len_of(&self.roles)
    }

    fn put_content<B: BufMut>(&self, out: &mut B) {
        put_of(out, &self.authorising_cell);
        put_of(out, &self.roles);
    }

    fn check(&self) -> Result<(), EncodeError> {
        self.roles.check()
    }
}

/// Trust anchor cell contents of a CS02a/CS02f response: SEQUENCE
/// {keyUsage, cellUsage DEFAULT management, subjectUniqueID OCTET STRING,
/// subjectKeyIdentifier OCTET STRING} (GBCS 13).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct TrustAnchorCellContents<'a> {
    /// The cell's key usage.
    pub key_usage: KeyUsageBits,
    /// `None` when left out (management).
    pub cell_usage: Option<CellUsage>,
    /// The anchor's subject unique id: the owner's Entity Identifier.
    #[cfg_attr(feature = "serde", serde(serialize_with = "super::ser::hex"))]
    pub subject_unique_id: &'a [u8],
    /// The anchor's subject key identifier.
    #[cfg_attr(feature = "serde", serde(serialize_with = "super::ser::hex"))]
    pub subject_key_id: &'a [u8],
}

impl<'a> DerValue<'a> for TrustAnchorCellContents<'a> {
    const TAG: Tag = Tag::SEQUENCE;

    fn from_tlv(t: &Tlv<'a>) -> Result<Self, DecodeError> {
        let mut r = t.reader();
        let key_usage = read(&mut r, "key usage")?;
        let cell_usage = read_opt(&mut r, Tag::INTEGER, "cell usage")?;
        let subject_unique_id = read_octets(&mut r, "subject unique id")?;
        let subject_key_id = read_octets(&mut r, "subject key identifier")?;
        r.finish()?;
        Ok(Self {
            key_usage,
            cell_usage,
            subject_unique_id,
            subject_key_id,
        })
    }

    fn content_len(&self) -> usize {
        len_of(&self.key_usage)
            + self.cell_usage.as_ref().map_or(0, len_of)
            + octets_elem_len(self.subject_unique_id)
            + octets_elem_len(self.subject_key_id)
    }

    fn put_content<B: BufMut>(&self, out: &mut B) {
        put_of(out, &self.key_usage);
        if let Some(c) = &self.cell_usage {
            put_of(out, c);
        }
        put_octets_elem(out, Tag::OCTET_STRING, self.subject_unique_id);
        put_octets_elem(out, Tag::OCTET_STRING, self.subject_key_id);
    }
}

/// The part of a remote party's details present on success: current seq
/// number and trust anchor cell details (GBCS 13).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RemotePartyCredentials<'a> {
    /// Current seq number of the party.
    pub current_seq_number: u64,
    /// The party's trust anchor cells.
    pub cells: SeqOf<'a, TrustAnchorCellContents<'a>>,
}

/// Remote party details SEQUENCE {role, statusCode, [current seq number,
/// trust anchor cell details]} (GBCS 13).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RemotePartyDetails<'a> {
    /// The party.
    pub role: RemotePartyRole,
    /// Whether its details could be read.
    pub status: StatusCode,
    /// Seq number and cells, absent on failure.
    pub credentials: Option<RemotePartyCredentials<'a>>,
}

impl<'a> DerValue<'a> for RemotePartyDetails<'a> {
    const TAG: Tag = Tag::SEQUENCE;

    fn from_tlv(t: &Tlv<'a>) -> Result<Self, DecodeError> {
        let mut r = t.reader();
        let role = read(&mut r, "remote party role")?;
        let status = read(&mut r, "status code")?;
        let credentials = if r.is_empty() {
            None
        } else {
            let current_seq_number = read_uint(&mut r, "current seq number")?;
            let cells = read(&mut r, "trust anchor cell details")?;
            Some(RemotePartyCredentials {
                current_seq_number,
                cells,
            })
        };
        r.finish()?;
        Ok(Self {
            role,
            status,
            credentials,
        })
    }

    fn content_len(&self) -> usize {
        len_of(&self.role)
            + len_of(&self.status)
            + self.credentials.as_ref().map_or(0, |c| {
                uint_elem_len(c.current_seq_number) + len_of(&c.cells)
            })
    }

    fn put_content<B: BufMut>(&self, out: &mut B) {
        put_of(out, &self.role);
        put_of(out, &self.status);
        if let Some(c) = &self.credentials {
            put_uint_elem(out, Tag::INTEGER, c.current_seq_number);
            put_of(out, &c.cells);
        }
    }
}

/// CS02a/CS02f response: SEQUENCE OF remote party details (GBCS 13).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ProvideCredentialDetailsResponse<'a> {
    /// One entry per requested role.
    pub parties: SeqOf<'a, RemotePartyDetails<'a>>,
}

impl<'a> DerValue<'a> for ProvideCredentialDetailsResponse<'a> {
    const TAG: Tag = Tag::SEQUENCE;

    fn from_tlv(t: &Tlv<'a>) -> Result<Self, DecodeError> {
        Ok(Self {
            parties: SeqOf::from_tlv(t)?,
        })
    }

    fn content_len(&self) -> usize {
        self.parties.content_len()
    }

    fn put_content<B: BufMut>(&self, out: &mut B) {
        self.parties.put_content(out);
    }

    fn check(&self) -> Result<(), EncodeError> {
        self.parties.check()
    }
}

/// Specialist seq number SEQUENCE {seqNumberUsage, seqNumber} (GBCS 13).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SpecialistSeqNumber {
    /// What the number counts (prepayment top-up).
    pub usage: SeqNumberUsage,
    /// The seq number.
    pub seq_number: u64,
}

impl DerValue<'_> for SpecialistSeqNumber {
    const TAG: Tag = Tag::SEQUENCE;

    fn from_tlv(t: &Tlv<'_>) -> Result<Self, DecodeError> {
        let mut r = t.reader();
        let usage = read(&mut r, "seq number usage")?;
        let seq_number = read_uint(&mut r, "seq number")?;
        r.finish()?;
        Ok(Self { usage, seq_number })
    }

    fn content_len(&self) -> usize {
        len_of(&self.usage) + uint_elem_len(self.seq_number)
    }

    fn put_content<B: BufMut>(&self, out: &mut B) {
        put_of(out, &self.usage);
        put_uint_elem(out, Tag::INTEGER, self.seq_number);
    }
}

/// Remote party seq number change SEQUENCE {role, floorSeqNumber,
/// specialist floor seq numbers OPTIONAL} (GBCS 13).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RemotePartySeqNumberChange<'a> {
    /// The party.
    pub role: RemotePartyRole,
    /// Its new floor seq number.
    pub floor_seq_number: u64,
    /// Its new specialist floor seq numbers.
    pub specialist_floor_seq_numbers: Option<SeqOf<'a, SpecialistSeqNumber>>,
}

impl<'a> DerValue<'a> for RemotePartySeqNumberChange<'a> {
    const TAG: Tag = Tag::SEQUENCE;

    fn from_tlv(t: &Tlv<'a>) -> Result<Self, DecodeError> {
        let mut r = t.reader();
        let role = read(&mut r, "remote party role")?;
        let floor_seq_number = read_uint(&mut r, "floor seq number")?;
        let specialist_floor_seq_numbers =
            read_opt(&mut r, Tag::SEQUENCE, "specialist floor seq numbers")?;
        r.finish()?;
        Ok(Self {
            role,
            floor_seq_number,
            specialist_floor_seq_numbers,
        })
    }

    fn content_len(&self) -> usize {
        len_of(&self.role)
            + uint_elem_len(self.floor_seq_number)
            + self.specialist_floor_seq_numbers.as_ref().map_or(0, len_of)
    }

    fn put_content<B: BufMut>(&self, out: &mut B) {
        put_of(out, &self.role);
        put_uint_elem(out, Tag::INTEGER, self.floor_seq_number);
        if let Some(s) = &self.specialist_floor_seq_numbers {
            put_of(out, s);
        }
    }
}

/// Authorising remote party control SEQUENCE of an Update Security
/// Credentials command, with its implicit context tags (GBCS 13).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct AuthorisingRemotePartyControl<'a> {
    /// credentialsReplacementMode.
    pub mode: CredentialsReplacementMode,
    /// `[0]` plaintext symmetric key.
    #[cfg_attr(feature = "serde", serde(serialize_with = "super::ser::hex_opt"))]
    pub plaintext_symmetric_key: Option<&'a [u8]>,
    /// `[1]` apply or disapply time-based CPV checks.
    pub cpv_checks: Option<CpvChecks>,
    /// `[2]` the authorising party's trust anchor cell.
    pub authorising_cell: Option<TrustAnchorCellIdentifier>,
    /// `[3]` the authorising party's seq number.
    pub authorising_seq_number: u64,
    /// `[4]` new remote party floor seq number.
    pub new_floor_seq_number: Option<u64>,
    /// `[5]` new remote party specialist floor seq numbers.
    pub new_specialist_floor_seq_numbers: Option<SeqOf<'a, SpecialistSeqNumber>>,
    /// `[6]` other remote party seq number changes.
    pub other_seq_number_changes: Option<SeqOf<'a, RemotePartySeqNumberChange<'a>>>,
}

impl<'a> DerValue<'a> for AuthorisingRemotePartyControl<'a> {
    const TAG: Tag = Tag::SEQUENCE;

    fn from_tlv(t: &Tlv<'a>) -> Result<Self, DecodeError> {
        let mut r = t.reader();
        let mode = read(&mut r, "credentials replacement mode")?;
        let plaintext_symmetric_key = r
            .optional(TAG_PLAINTEXT_KEY, "plaintext symmetric key")?
            .map(|t| t.value());
        let cpv_checks = r
            .optional(TAG_CPV_CHECKS, "apply time based CPV checks")?
            .map(|t| small(&t, "apply time based CPV checks"))
            .transpose()?;
        let authorising_cell = read_opt(&mut r, TAG_AUTHORISING_CELL, "authorising TA cell")?;
        let authorising_seq_number = super::uint(
            &r.expect(TAG_AUTHORISING_SEQ, "authorising seq number")?,
            "authorising seq number",
        )?;
        let new_floor_seq_number = r
            .optional(TAG_FLOOR_SEQ, "new floor seq number")?
            .map(|t| super::uint(&t, "new floor seq number"))
            .transpose()?;
        let new_specialist_floor_seq_numbers = read_opt(
            &mut r,
            TAG_SPECIALIST_FLOORS,
            "new specialist floor seq numbers",
        )?;
        let other_seq_number_changes =
            read_opt(&mut r, TAG_OTHER_CHANGES, "other seq number changes")?;
        r.finish()?;
        Ok(Self {
            mode,
            plaintext_symmetric_key,
            cpv_checks,
            authorising_cell,
            authorising_seq_number,
            new_floor_seq_number,
            new_specialist_floor_seq_numbers,
            other_seq_number_changes,
        })
    }

    fn content_len(&self) -> usize {
        len_of(&self.mode)
            + self
                .plaintext_symmetric_key
                .map_or(0, |k| element_len(TAG_PLAINTEXT_KEY, k.len()))
            + self
                .cpv_checks
                .map_or(0, |c| uint_elem_len(u64::from(c.value())))
            + self
                .authorising_cell
                .as_ref()
                .map_or(0, |c| len_as(c, TAG_AUTHORISING_CELL))
            + uint_elem_len(self.authorising_seq_number)
            + self.new_floor_seq_number.map_or(0, uint_elem_len)
            + self
                .new_specialist_floor_seq_numbers
                .as_ref()
                .map_or(0, |s| len_as(s, TAG_SPECIALIST_FLOORS))
            + self
                .other_seq_number_changes
                .as_ref()
                .map_or(0, |s| len_as(s, TAG_OTHER_CHANGES))
    }

    fn put_content<B: BufMut>(&self, out: &mut B) {
        put_of(out, &self.mode);
        if let Some(k) = self.plaintext_symmetric_key {
            put_octets_elem(out, TAG_PLAINTEXT_KEY, k);
        }
        if let Some(c) = self.cpv_checks {
            put_uint_elem(out, TAG_CPV_CHECKS, u64::from(c.value()));
        }
        if let Some(c) = &self.authorising_cell {
            put_as(out, c, TAG_AUTHORISING_CELL);
        }
        put_uint_elem(out, TAG_AUTHORISING_SEQ, self.authorising_seq_number);
        if let Some(f) = self.new_floor_seq_number {
            put_uint_elem(out, TAG_FLOOR_SEQ, f);
        }
        if let Some(s) = &self.new_specialist_floor_seq_numbers {
            put_as(out, s, TAG_SPECIALIST_FLOORS);
        }
        if let Some(s) = &self.other_seq_number_changes {
            put_as(out, s, TAG_OTHER_CHANGES);
        }
    }

    fn check(&self) -> Result<(), EncodeError> {
        if let Some(s) = &self.other_seq_number_changes {
            s.check()?;
        }
        Ok(())
    }
}

/// Trust anchor replacement SEQUENCE {certificate, target trust anchor
/// cell} (GBCS 13).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct TrustAnchorReplacement<'a> {
    /// The new anchor's certificate.
    pub certificate: CertificateDer<'a>,
    /// The cell it goes into.
    pub target_cell: TrustAnchorCellIdentifier,
}

impl<'a> DerValue<'a> for TrustAnchorReplacement<'a> {
    const TAG: Tag = Tag::SEQUENCE;

    fn from_tlv(t: &Tlv<'a>) -> Result<Self, DecodeError> {
        let mut r = t.reader();
        let certificate = read(&mut r, "certificate")?;
        let target_cell = read(&mut r, "target trust anchor cell")?;
        r.finish()?;
        Ok(Self {
            certificate,
            target_cell,
        })
    }

    fn content_len(&self) -> usize {
        len_of(&self.certificate) + len_of(&self.target_cell)
    }

    fn put_content<B: BufMut>(&self, out: &mut B) {
        put_of(out, &self.certificate);
        put_of(out, &self.target_cell);
    }

    fn check(&self) -> Result<(), EncodeError> {
        self.certificate.check()
    }
}

/// CS02b/CS02g command (0x0100 to 0x0109, 0x0125, 0x0126):
/// UpdateSecurityCredentials SEQUENCE {authorising remote party control,
/// replacements, certification path certificates, executionDateTime
/// OPTIONAL} (GBCS 13).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct UpdateSecurityCredentialsCommand<'a> {
    /// Who authorises the change and the seq numbers it sets.
    pub control: AuthorisingRemotePartyControl<'a>,
    /// The trust anchors to place.
    pub replacements: SeqOf<'a, TrustAnchorReplacement<'a>>,
    /// Certificates of the path to the new anchors.
    pub certification_path: SeqOf<'a, CertificateDer<'a>>,
    /// Future-dated execution, or [`GeneralizedTime::Cancel`].
    pub execution_date_time: Option<GeneralizedTime>,
}

impl<'a> DerValue<'a> for UpdateSecurityCredentialsCommand<'a> {
    const TAG: Tag = Tag::SEQUENCE;

    fn from_tlv(t: &Tlv<'a>) -> Result<Self, DecodeError> {
        let mut r = t.reader();
        let control = read(&mut r, "authorising remote party control")?;
        let replacements = read(&mut r, "replacements")?;
        let certification_path = read(&mut r, "certification path certificates")?;
        let execution_date_time = read_opt(&mut r, Tag::GENERALIZED_TIME, "execution date time")?;
        r.finish()?;
        Ok(Self {
            control,
            replacements,
            certification_path,
            execution_date_time,
        })
    }

    fn content_len(&self) -> usize {
        len_of(&self.control)
            + len_of(&self.replacements)
            + len_of(&self.certification_path)
            + self.execution_date_time.as_ref().map_or(0, len_of)
    }

    fn put_content<B: BufMut>(&self, out: &mut B) {
        put_of(out, &self.control);
        put_of(out, &self.replacements);
        put_of(out, &self.certification_path);
        if let Some(t) = &self.execution_date_time {
            put_of(out, t);
        }
    }

    fn check(&self) -> Result<(), EncodeError> {
        self.control.check()?;
        self.replacements.check()?;
        self.certification_path.check()?;
        if let Some(t) = &self.execution_date_time {
            t.check()?;
        }
        check_content(self.content_len(), "update security credentials")
    }
}

/// Replacement outcome SEQUENCE {affected trust anchor cell, statusCode,
/// existing subject unique id and key id, replacing subject unique id and
/// key id} (GBCS 13).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ReplacementOutcome<'a> {
    /// The cell the replacement was for.
    pub affected_cell: TrustAnchorCellIdentifier,
    /// Success or why not.
    pub status: StatusCode,
    /// Subject unique id of the anchor that was there.
    #[cfg_attr(feature = "serde", serde(serialize_with = "super::ser::hex"))]
    pub existing_subject_unique_id: &'a [u8],
    /// Subject key id of the anchor that was there.
    #[cfg_attr(feature = "serde", serde(serialize_with = "super::ser::hex"))]
    pub existing_subject_key_id: &'a [u8],
    /// Subject unique id of the anchor now there.
    #[cfg_attr(feature = "serde", serde(serialize_with = "super::ser::hex"))]
    pub replacing_subject_unique_id: &'a [u8],
    /// Subject key id of the anchor now there.
    #[cfg_attr(feature = "serde", serde(serialize_with = "super::ser::hex"))]
    pub replacing_subject_key_id: &'a [u8],
}

impl<'a> DerValue<'a> for ReplacementOutcome<'a> {
    const TAG: Tag = Tag::SEQUENCE;

    fn from_tlv(t: &Tlv<'a>) -> Result<Self, DecodeError> {
        let mut r = t.reader();
        let affected_cell = read(&mut r, "affected trust anchor cell")?;
        let status = read(&mut r, "status code")?;
        let existing_subject_unique_id = read_octets(&mut r, "existing subject unique id")?;
        let existing_subject_key_id = read_octets(&mut r, "existing subject key id")?;
        let replacing_subject_unique_id = read_octets(&mut r, "replacing subject unique id")?;
        let replacing_subject_key_id = read_octets(&mut r, "replacing subject key id")?;
        r.finish()?;
        Ok(Self {
            affected_cell,
            status,
            existing_subject_unique_id,
            existing_subject_key_id,
            replacing_subject_unique_id,
            replacing_subject_key_id,
        })
    }

    fn content_len(&self) -> usize {
        len_of(&self.affected_cell)
            + len_of(&self.status)
            + octets_elem_len(self.existing_subject_unique_id)
            + octets_elem_len(self.existing_subject_key_id)
            + octets_elem_len(self.replacing_subject_unique_id)
            + octets_elem_len(self.replacing_subject_key_id)
    }

    fn put_content<B: BufMut>(&self, out: &mut B) {
        put_of(out, &self.affected_cell);
        put_of(out, &self.status);
        for o in [
            self.existing_subject_unique_id,
            self.existing_subject_key_id,
            self.replacing_subject_unique_id,
            self.replacing_subject_key_id,
        ] {
            put_octets_elem(out, Tag::OCTET_STRING, o);
        }
    }
}

/// Execution outcome of an Update Security Credentials command SEQUENCE
/// {authorising seq number, replacement mode, remote party seq number
/// changes, replacement outcomes} (GBCS 13).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CredentialsExecutionOutcome<'a> {
    /// The command's authorising seq number.
    pub authorising_seq_number: u64,
    /// The command's replacement mode.
    pub mode: CredentialsReplacementMode,
    /// Seq numbers set.
    pub seq_number_changes: SeqOf<'a, RemotePartySeqNumberChange<'a>>,
    /// One outcome per replacement.
    pub replacement_outcomes: SeqOf<'a, ReplacementOutcome<'a>>,
}

impl<'a> DerValue<'a> for CredentialsExecutionOutcome<'a> {
    const TAG: Tag = Tag::SEQUENCE;

    fn from_tlv(t: &Tlv<'a>) -> Result<Self, DecodeError> {
        let mut r = t.reader();
        let authorising_seq_number = read_uint(&mut r, "authorising seq number")?;
        let mode = read(&mut r, "credentials replacement mode")?;
        let seq_number_changes = read(&mut r, "remote party seq number changes")?;
        let replacement_outcomes = read(&mut r, "replacement outcomes")?;
        r.finish()?;
        Ok(Self {
            authorising_seq_number,
            mode,
            seq_number_changes,
            replacement_outcomes,
        })
    }

    fn content_len(&self) -> usize {
        uint_elem_len(self.authorising_seq_number)
            + len_of(&self.mode)
            + len_of(&self.seq_number_changes)
            + len_of(&self.replacement_outcomes)
    }

    fn put_content<B: BufMut>(&self, out: &mut B) {
        put_uint_elem(out, Tag::INTEGER, self.authorising_seq_number);
        put_of(out, &self.mode);
        put_of(out, &self.seq_number_changes);
        put_of(out, &self.replacement_outcomes);
    }
}

/// CS02b/CS02g response SEQUENCE {NULL (command accepted), execution
/// outcome OPTIONAL}: the outcome is left out when execution is future
/// dated (GBCS 13).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct UpdateSecurityCredentialsResponse<'a> {
    /// The outcome of immediate execution.
    pub outcome: Option<CredentialsExecutionOutcome<'a>>,
}

impl<'a> DerValue<'a> for UpdateSecurityCredentialsResponse<'a> {
    const TAG: Tag = Tag::SEQUENCE;

    fn from_tlv(t: &Tlv<'a>) -> Result<Self, DecodeError> {
        let mut r = t.reader();
        read_null(&mut r, "command accepted")?;
        let outcome = read_opt(&mut r, Tag::SEQUENCE, "execution outcome")?;
        r.finish()?;
        Ok(Self { outcome })
    }

    fn content_len(&self) -> usize {
        NULL_ELEM_LEN + self.outcome.as_ref().map_or(0, len_of)
    }

    fn put_content<B: BufMut>(&self, out: &mut B) {
        put_null(out);
        if let Some(o) = &self.outcome {
            put_of(out, o);
        }
    }
}

/// Future-dated Update Security Credentials alert (0x00CB; CS02g 0x0124)
/// SEQUENCE {alertCode, executionDateTime, execution outcome}
/// (GBCS 13).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct UpdateSecurityCredentialsAlert<'a> {
    /// Alert code (0x8F66 success, ...).
    pub alert_code: u16,
    /// When the command ran.
    pub execution_date_time: GeneralizedTime,
    /// What it did.
    pub outcome: CredentialsExecutionOutcome<'a>,
}

impl<'a> DerValue<'a> for UpdateSecurityCredentialsAlert<'a> {
    const TAG: Tag = Tag::SEQUENCE;

    fn from_tlv(t: &Tlv<'a>) -> Result<Self, DecodeError> {
        let mut r = t.reader();
        let (alert_code, execution_date_time) = read_alert_head(&mut r, "execution date time")?;
        let outcome = read(&mut r, "execution outcome")?;
        r.finish()?;
        Ok(Self {
            alert_code,
            execution_date_time,
            outcome,
        })
    }

    fn content_len(&self) -> usize {
        alert_head_len(self.alert_code, &self.execution_date_time) + len_of(&self.outcome)
    }

    fn put_content<B: BufMut>(&self, out: &mut B) {
        put_alert_head(out, self.alert_code, &self.execution_date_time);
        put_of(out, &self.outcome);
    }

    fn check(&self) -> Result<(), EncodeError> {
        self.execution_date_time.check()
    }
}

/// CS02c and CS02e command SEQUENCE {keyUsage} (GBCS 13, 13.3.3.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct KeyUsageRequest {
    /// Which of the device's keys.
    pub key_usage: KeyUsageBits,
}

impl DerValue<'_> for KeyUsageRequest {
    const TAG: Tag = Tag::SEQUENCE;

    fn from_tlv(t: &Tlv<'_>) -> Result<Self, DecodeError> {
        let mut r = t.reader();
        let key_usage = read(&mut r, "key usage")?;
        r.finish()?;
        Ok(Self { key_usage })
    }

    fn content_len(&self) -> usize {
        len_of(&self.key_usage)
    }

    fn put_content<B: BufMut>(&self, out: &mut B) {
        put_of(out, &self.key_usage);
    }
}

/// A payload that is a SEQUENCE on success and an INTEGER error code
/// otherwise (CS02c, CS02e responses).
fn decode_or_code<'a, T: DerValue<'a>, C: From<u8>>(
    payload: &'a [u8],
    field: &'static str,
) -> Result<Result<T, C>, DecodeError> {
    let mut r = DerReader::new(payload);
    let v = if r.peek_tag() == Some(Tag::INTEGER) {
        Err(read_small(&mut r, Tag::INTEGER, field)?)
    } else {
        Ok(read_as(&mut r, T::TAG, field)?)
    };
    r.finish()?;
    Ok(v)
}

fn encode_or_code<'a, T: DerValue<'a>, B: BufMut>(
    v: Result<&T, u8>,
    out: &mut B,
) -> Result<(), EncodeError> {
    match v {
        Ok(t) => super::encode_whole(t, out),
        Err(c) => {
            smets_core::ensure_room(out, uint_elem_len(u64::from(c)), LAYER)?;
            put_uint_elem(out, Tag::INTEGER, u64::from(c));
            Ok(())
        }
    }
}

/// CS02c response: the PKCS #10 CertificationRequest, or an INTEGER error
/// (GBCS 13).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum IssueSecurityCredentialsResponse<'a> {
    /// The request for the new key's certificate.
    Request(CertificationRequestDer<'a>),
    /// Why no key pair or request was made.
    Error(IssueCredentialsError),
}

impl<'a> smets_core::Decode<'a> for IssueSecurityCredentialsResponse<'a> {
    fn decode(buf: &'a [u8]) -> Result<Self, DecodeError> {
        Ok(match decode_or_code(buf, "certification request")? {
            Ok(r) => Self::Request(r),
            Err(c) => Self::Error(c),
        })
    }
}

impl smets_core::Encode for IssueSecurityCredentialsResponse<'_> {
    fn encoded_len(&self) -> usize {
        match self {
            Self::Request(r) => len_of(r),
            Self::Error(c) => uint_elem_len(u64::from(c.value())),
        }
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        match self {
            Self::Request(r) => encode_or_code(Ok(r), out),
            Self::Error(c) => encode_or_code::<CertificationRequestDer<'_>, B>(Err(c.value()), out),
        }
    }
}

/// CS02e response: the device certificate, or an INTEGER error
/// (GBCS 13).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum ProvideDeviceCertificateResponse<'a> {
    /// The certificate asked for.
    Certificate(CertificateDer<'a>),
    /// Why it could not be given.
    Error(ProvideDeviceCertificateError),
}

impl<'a> smets_core::Decode<'a> for ProvideDeviceCertificateResponse<'a> {
    fn decode(buf: &'a [u8]) -> Result<Self, DecodeError> {
        Ok(match decode_or_code(buf, "certificate")? {
            Ok(r) => Self::Certificate(r),
            Err(c) => Self::Error(c),
        })
    }
}

impl smets_core::Encode for ProvideDeviceCertificateResponse<'_> {
    fn encoded_len(&self) -> usize {
        match self {
            Self::Certificate(r) => len_of(r),
            Self::Error(c) => uint_elem_len(u64::from(c.value())),
        }
    }

    fn encode<B: BufMut>(&self, out: &mut B) -> Result<(), EncodeError> {
        match self {
            Self::Certificate(r) => encode_or_code(Ok(r), out),
            Self::Error(c) => encode_or_code::<CertificateDer<'_>, B>(Err(c.value()), out),
        }
    }
}

whole_payload!(
    ProvideCredentialDetailsCommand<'a>,
    ProvideCredentialDetailsResponse<'a>,
    UpdateSecurityCredentialsCommand<'a>,
    UpdateSecurityCredentialsResponse<'a>,
    UpdateSecurityCredentialsAlert<'a>,
    KeyUsageRequest,
    TrustAnchorCellIdentifier,
);
