"""The 红星津贴 pay sheet (发放表) as offices use it: one line a worker, a total row, signatures,
and the approval trail at the foot."""

from openpyxl.styles import Alignment, Border, Font, Side

from assessment.models import PayoutBatch, PayoutEvent, PayoutLine
from core.spreadsheets import save_workbook, workbook
from members.models import Member

HEADER = ["序号", "园区", "党支部", "所在企业", "姓名", "职务", "星级", "发放月数", "月标准（元）", "金额（元）", "领取人签字"]
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def pay_sheet_xlsx(batch: PayoutBatch) -> bytes:
    # The names as drafted (PayoutLine keeps them): nothing done later rewrites an approved sheet.
    lines = list(PayoutLine.objects.filter(park=batch.park, batch=batch).order_by("branch_name", "member_name", "pk"))
    book = workbook()
    sheet = book.active
    sheet.title = "红星津贴发放表"
    sheet.append([f"{batch.park.name}{batch}发放表"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(HEADER)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.border = BOX
    posts = dict(Member.Post.choices)
    for n, line in enumerate(lines, start=1):
        sheet.append([
            n, batch.park.name, line.branch_name, line.enterprises, line.member_name,
            str(posts.get(line.post, line.post)), "★" * line.level, line.months, line.monthly, line.amount, "",
        ])
    total_row = ["合计", "", "", "", f"{len(lines)}人", "", "", "", "", batch.total, ""]
    sheet.append(total_row)
    last = sheet.max_row
    for row in sheet.iter_rows(min_row=3, max_row=last):
        for cell in row:
            cell.border = BOX
        row[7].number_format = "0.00"
        row[8].number_format = "#,##0.00"
        row[9].number_format = "#,##0.00"
    for cell in sheet[last]:
        cell.font = Font(bold=True)
    sheet.append([])
    sheet.append(["审批记录："])
    for event in PayoutEvent.objects.filter(park=batch.park, batch=batch).select_related("actor"):
        note = f"（{event.note}）" if event.note else ""
        sheet.append([f"{event.at.astimezone():%Y-%m-%d %H:%M}  {event.get_from_status_display()} → {event.get_to_status_display()}  {event.actor or '系统'}{note}"])
    sheet.append([])
    sheet.append(["经办人：", "", "", "审核人：", "", "", "批准人：", "", "", "发放日期："])
    for letter, width in zip("ABCDEFGHIJK", (6, 18, 24, 30, 10, 8, 8, 10, 12, 12, 14)):
        sheet.column_dimensions[letter].width = width
    # Printed as offices file it: A4 landscape, all columns on one page wide, the header repeated.
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "2:2"
    return save_workbook(book)  # a name written as a formula stays text
