#!/usr/bin/env bash
# The whole `motcua receipt` process against the common alternative: LibreOffice converting
# an equivalent .docx (same header, title, body lines and two copies) to PDF, each a fresh
# process as a web counter system or a clerk's macro would run it. Prints medians and the
# ratio. Needs: libreoffice-writer(-nogui), python3-docx (Debian), a release build.
#   bash benches/receipt_vs_libreoffice.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-15}
cargo build --release --quiet
M=$PWD/target/release/motcua
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
D=$W/data
$M --data-dir "$D" init --agency-id 000.17.22.H56 --agency-name "UBND xã Tân Lập" \
   --parent-name "UBND tỉnh Thanh Hóa" --station 1 >/dev/null
echo 'mật khẩu dài' | $M --data-dir "$D" user add lan --full-name "Trần Thị Lan" --password-stdin >/dev/null
CODE=$($M --data-dir "$D" receive --clerk lan --procedure 1.001193 --applicant "Nguyễn Thị Ngọc Ánh" \
   --id-number 001199012345 --phone 0912345678 --address "Số 12, ngõ 34, thôn Đông, xã Tân Lập" \
   --document "Tờ khai đăng ký khai sinh:bản chính:1" --document "Giấy chứng sinh:bản chính:1" \
   --document "Căn cước của người đi đăng ký:bản sao:1" --received-at 2026-11-25T09:32 --json \
   | sed -n 's/^  "code": "\(.*\)",$/\1/p')
$M --data-dir "$D" receipt "$CODE" -o "$W/motcua.pdf" >/dev/null

# The same slip as a .docx.
/usr/bin/python3 - "$W/slip.docx" "$CODE" <<'PY'
import sys
from docx import Document
from docx.shared import Pt, Mm
from docx.enum.text import WD_ALIGN_PARAGRAPH
path, code = sys.argv[1], sys.argv[2]
doc = Document()
for s in doc.sections:
    s.page_height, s.page_width = Mm(297), Mm(210)
    s.left_margin, s.right_margin, s.top_margin, s.bottom_margin = Mm(30), Mm(15), Mm(20), Mm(20)
style = doc.styles["Normal"]; style.font.name = "Liberation Serif"; style.font.size = Pt(13)
for copy in ["(Liên 1: Lưu)", "(Liên 2: Giao người nộp)"]:
    t = doc.add_table(rows=1, cols=2)
    t.cell(0, 0).text = "UBND TỈNH THANH HÓA\nUBND XÃ TÂN LẬP\nBỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ"
    t.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    p = doc.add_paragraph("Tân Lập, ngày 25 tháng 11 năm 2026"); p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for line in ["GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", f"Mã hồ sơ: {code}", "Mã tra cứu: ABCDEF", copy]:
        p = doc.add_paragraph(line); p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for line in ["Bộ phận tiếp nhận và trả kết quả UBND xã Tân Lập",
                 "Tiếp nhận hồ sơ của: Nguyễn Thị Ngọc Ánh", "Số CCCD/định danh cá nhân: 001199012345",
                 "Địa chỉ: Số 12, ngõ 34, thôn Đông, xã Tân Lập", "Số điện thoại: 0912345678 Email:",
                 "Nội dung yêu cầu giải quyết: Đăng ký khai sinh", "1. Thành phần hồ sơ nộp gồm:",
                 "1.1. Tờ khai đăng ký khai sinh (Bản chính: 01)", "1.2. Giấy chứng sinh (Bản chính: 01)",
                 "1.3. Căn cước của người đi đăng ký (Bản sao: 01)", "2. Số lượng hồ sơ: 01 (bộ)",
                 "3. Thời gian giải quyết hồ sơ theo quy định là: trong ngày",
                 "4. Thời gian nhận hồ sơ: 09 giờ 32 phút, ngày 25 tháng 11 năm 2026",
                 "5. Thời gian trả kết quả giải quyết hồ sơ: 17 giờ 00 phút, ngày 25 tháng 11 năm 2026",
                 "6. Đăng ký nhận kết quả tại: Bộ phận tiếp nhận và trả kết quả, UBND xã Tân Lập",
                 "Vào Sổ theo dõi hồ sơ, Quyển số: 01/2026 Số thứ tự: 0001"]:
        doc.add_paragraph(line)
    s = doc.add_table(rows=1, cols=2)
    s.cell(0, 0).text = "NGƯỜI NỘP HỒ SƠ\n(Ký và ghi rõ họ tên)\n\n\n\nNguyễn Thị Ngọc Ánh"
    s.cell(0, 1).text = "NGƯỜI TIẾP NHẬN HỒ SƠ\n(Ký và ghi rõ họ tên)\n\n\n\nTrần Thị Lan"
    if copy.startswith("(Liên 1"):
        doc.add_page_break()
doc.save(path)
PY

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# LibreOffice keeps a profile; warm it once so the runs measure conversion, not first start.
export HOME=$W/home; mkdir -p "$HOME"
soffice --headless --convert-to pdf --outdir "$W/lo" "$W/slip.docx" >/dev/null 2>&1

: > "$W/m.txt"; : > "$W/l.txt"
for _ in $(seq "$RUNS"); do
  t=$(now_ms); $M --data-dir "$D" receipt "$CODE" -o "$W/motcua.pdf" >/dev/null; echo $(( $(now_ms) - t )) >> "$W/m.txt"
  t=$(now_ms); soffice --headless --convert-to pdf --outdir "$W/lo" "$W/slip.docx" >/dev/null 2>&1; echo $(( $(now_ms) - t )) >> "$W/l.txt"
done
MM=$(median < "$W/m.txt"); LM=$(median < "$W/l.txt")
echo "runs: $RUNS (interleaved)"
echo "motcua receipt (whole process, open db, render, keep copy, write): median ${MM} ms, $(stat -c %s "$W/motcua.pdf") bytes, $(pdfinfo "$W/motcua.pdf" | awk '/^Pages/{print $2}') pages"
echo "soffice --convert-to pdf (.docx, warm profile):                    median ${LM} ms, $(stat -c %s "$W/lo/slip.pdf") bytes, $(pdfinfo "$W/lo/slip.pdf" | awk '/^Pages/{print $2}') pages"
awk -v m="$MM" -v l="$LM" 'BEGIN { printf "ratio LibreOffice / motcua: %.1fx (target >= 20x)\n", l / (m > 0 ? m : 1) }'
