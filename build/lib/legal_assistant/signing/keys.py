"""The deployment's own certificate authority and one key pair + certificate per signer.

Created on first use under ``data_dir/keys`` (directories 0700, files 0600). The CA certificate is
the trust root a court or counterparty needs to validate the PDF signatures; its SHA-256
fingerprint is printed on every evidence certificate.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from legal_assistant.identity import ORGANIZATION
from legal_assistant.settings import get_settings

CA_NAME = "最嘉法护 电子签名 根证书"
CA_VALID_YEARS = 20
SIGNER_VALID_YEARS = 3


@dataclass(frozen=True)
class Credentials:
    key_path: Path
    cert_path: Path

    @property
    def certificate(self) -> x509.Certificate:
        return x509.load_pem_x509_certificate(self.cert_path.read_bytes())

    @property
    def fingerprint(self) -> str:
        return self.certificate.fingerprint(hashes.SHA256()).hex()


def keys_dir() -> Path:
    return _private_dir(get_settings().data_dir / "keys")


def _private_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    return path


def _write_private(path: Path, data: bytes) -> None:
    # Create with 0600 from the start, so the key is never readable by others even briefly.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    os.chmod(path, 0o600)


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _load_key(path: Path) -> ec.EllipticCurvePrivateKey:
    return serialization.load_pem_private_key(path.read_bytes(), password=None)


def ensure_ca() -> Credentials:
    """The deployment CA, created on first call."""
    directory = _private_dir(keys_dir() / "ca")
    credentials = Credentials(directory / "ca_key.pem", directory / "ca_cert.pem")
    if credentials.key_path.exists() and credentials.cert_path.exists():
        return credentials
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, CA_NAME),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "最嘉法护"),
        x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
    ])
    now = datetime.now(timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=365 * CA_VALID_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write_private(credentials.key_path, _key_pem(key))
    _write_private(credentials.cert_path, certificate.public_bytes(serialization.Encoding.PEM))
    return credentials


def signer_key_id(kind: str, id_number: str) -> str:
    """Directory name for a signer: derived from the ID number without revealing it."""
    return hashlib.sha256(f"{kind}:{id_number}".encode()).hexdigest()[:24]


def ensure_signer(*, name: str, kind: str, id_number: str) -> Credentials:
    """Key pair and CA-issued certificate of one person or organisation, created on first use."""
    ca = ensure_ca()
    directory = _private_dir(_private_dir(keys_dir() / "signers") / signer_key_id(kind, id_number))
    credentials = Credentials(directory / "key.pem", directory / "cert.pem")
    if credentials.key_path.exists() and credentials.cert_path.exists():
        return credentials
    ca_key = _load_key(ca.key_path)
    ca_cert = ca.certificate
    key = ec.generate_private_key(ec.SECP256R1())
    # Organisations' USCC is public; for individuals only a hash of the ID number goes into the
    # certificate, which anyone holding the ID number can recompute to match.
    serial = id_number if kind == ORGANIZATION else "RIC-SHA256:" + hashlib.sha256(id_number.encode()).hexdigest()[:32]
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, name), x509.NameAttribute(NameOID.SERIAL_NUMBER, serial),
                  x509.NameAttribute(NameOID.COUNTRY_NAME, "CN")]
    if kind == ORGANIZATION:
        attributes.insert(1, x509.NameAttribute(NameOID.ORGANIZATION_NAME, name))
    now = datetime.now(timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name(attributes)).issuer_name(ca_cert.subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=365 * SIGNER_VALID_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    _write_private(credentials.key_path, _key_pem(key))
    _write_private(credentials.cert_path, certificate.public_bytes(serialization.Encoding.PEM))
    return credentials
