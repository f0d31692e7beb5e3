"""PAdES signatures with pyHanko: sign as an incremental update, validate against the deployment CA.

Each signature is a new revision appended to the file, so earlier signatures stay intact and each
signer's signature covers everything signed before. The visible appearance is a small PDF drawn by
reportlab with the embedded CJK font (pyHanko's own text stamps would need HarfBuzz for Chinese).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from tempfile import NamedTemporaryFile

from pyhanko.keys import load_cert_from_pemder, load_private_key_from_pemder
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.stamp import StaticStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from legal_assistant import clock
from legal_assistant.pdf_fonts import register_cjk_font
from legal_assistant.signing.keys import Credentials


def _stamp_pdf(path: Path, box: tuple[float, float, float, float], lines: list[str]) -> None:
    """A one-page PDF the size of the signature box: a red frame and the signer's name and time."""
    font = register_cjk_font()
    width, height = box[2] - box[0], box[3] - box[1]
    drawing = canvas.Canvas(str(path), pagesize=(width, height), invariant=1, initialFontName=font)
    drawing.setStrokeColorRGB(0.75, 0.1, 0.1)
    drawing.setFillColorRGB(0.75, 0.1, 0.1)
    drawing.setLineWidth(1.2)
    drawing.roundRect(2, 2, width - 4, height - 4, 6)
    # Largest size at which every line fits both the box's height and its width.
    size = min([11.0, (height - 10) / max(len(lines), 1) - 2]
               + [(width - 16) / pdfmetrics.stringWidth(line, font, 1) for line in lines if line])
    drawing.setFont(font, size)
    for number, line in enumerate(lines):
        drawing.drawString(8, height - 8 - size - number * (size + 3), line)
    drawing.save()


def sign_pdf(
    pdf_bytes: bytes,
    *,
    credentials: Credentials,
    ca: Credentials,
    field_name: str,
    signer_name: str,
    reason: str,
    page: int | None = None,
    box: tuple[float, float, float, float] | None = None,
) -> bytes:
    signing_cert = load_cert_from_pemder(str(credentials.cert_path))
    signer = signers.SimpleSigner(
        signing_cert=signing_cert,
        signing_key=load_private_key_from_pemder(str(credentials.key_path), passphrase=None),
        cert_registry=SimpleCertificateStore.from_certs([load_cert_from_pemder(str(ca.cert_path))]),
    )
    metadata = signers.PdfSignatureMetadata(
        field_name=field_name, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason, name=signer_name, location="中国",
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes))
    output = io.BytesIO()
    if page is None or box is None:
        signers.PdfSigner(metadata, signer, new_field_spec=fields.SigFieldSpec(field_name)).sign_pdf(
            writer, output=output)
        return output.getvalue()
    with NamedTemporaryFile(suffix=".pdf") as stamp_file:
        stamp_lines = [f"电子签名：{signer_name}", f"签署时间：{clock.now():%Y-%m-%d %H:%M}（北京时间）",
                       f"证书序列号：{signing_cert.serial_number:x}"[:22]]
        _stamp_pdf(Path(stamp_file.name), box, stamp_lines)
        style = StaticStampStyle.from_pdf_file(stamp_file.name, border_width=0)
        spec = fields.SigFieldSpec(sig_field_name=field_name, on_page=page, box=box)
        signers.PdfSigner(metadata, signer, new_field_spec=spec, stamp_style=style).sign_pdf(writer, output=output)
    return output.getvalue()


@dataclass(frozen=True)
class SignatureCheck:
    field: str
    signer: str
    valid: bool  # intact, cryptographically valid, trusted, and no disallowed change after it
    intact: bool
    trusted: bool
    signed_at: str | None
    certificate_sha256: str | None
    problem: str | None = None

    def as_dict(self) -> dict:
        return {"signer": self.signer, "valid": self.valid, "field": self.field, "intact": self.intact,
                "trusted": self.trusted, "signed_at": self.signed_at, "certificate_sha256": self.certificate_sha256,
                "problem": self.problem}


class UnreadablePdf(ValueError):
    pass


def validate_signatures(pdf_bytes: bytes, *, ca: Credentials) -> list[SignatureCheck]:
    """Check every signature in the file. A file that does not even parse raises :class:`UnreadablePdf`."""
    root = load_cert_from_pemder(str(ca.cert_path))
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception as exc:  # pyHanko raises many parser error types on damaged input
        raise UnreadablePdf(f"PDF文件已损坏或格式不正确，无法读取：{exc}") from exc
    checks: list[SignatureCheck] = []
    for signature in embedded:
        signer, fingerprint = "", None
        try:
            cert = signature.signer_cert
            signer = cert.subject.native.get("common_name", "")
            fingerprint = cert.sha256.hex()
            status = validate_pdf_signature(
                signature, signer_validation_context=ValidationContext(trust_roots=[root], allow_fetching=False)
            )
        except Exception as exc:  # a tampered signature container can fail to decode at all
            checks.append(SignatureCheck(signature.field_name, signer, False, False, False, None, fingerprint,
                                         f"签名数据已损坏，无法验证：{exc}"))
            continue
        problem = None
        if not status.intact:
            problem = "签名后文件内容被修改"
        elif not status.valid:
            problem = "签名值无效"
        elif not status.trusted:
            problem = "签名证书不是由本系统根证书签发"
        elif not status.bottom_line:
            problem = "签名后文件有不允许的修改"
        checks.append(SignatureCheck(
            signature.field_name, signer, bool(status.bottom_line), bool(status.intact), bool(status.trusted),
            status.signer_reported_dt.isoformat() if status.signer_reported_dt else None, fingerprint, problem,
        ))
    return checks
