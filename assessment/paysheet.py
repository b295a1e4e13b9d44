"""The 红星津贴 pay sheet (发放表) as offices use it: one line a worker, a total row, signatures,
and the approval trail at the foot."""

import io
from collections import defaultdict

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from assessment.models import PayoutBatch, PayoutEvent, PayoutLine
from members.models import Member
from orgs.models import Coverage

HEADER = ["序号", "园区", "党支部", "所在企业", "姓名", "职务", "星级", "发放月数", "月标准（元）", "金额（元）", "领取人签字"]
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def pay_sheet_xlsx(batch: PayoutBatch) -> bytes:
    lines = list(PayoutLine.objects.filter(park=batch.park, batch=batch).select_related("branch", "member").order_by("branch__name", "member__name"))
    units = defaultdict(list)
    for org_id, name in Coverage.objects.filter(park=batch.park, organisation_id__in={l.branch_id for l in lines}).order_by("enterprise__name").values_list("organisation_id", "enterprise__name"):
        units[org_id].append(name)
    workbook = Workbook()
    sheet = workbook.active
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
            n, batch.park.name, line.branch.name, "、".join(units.get(line.branch_id, [])), line.member.name,
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
    labels = dict(PayoutBatch.Status.choices)
    for event in PayoutEvent.objects.filter(park=batch.park, batch=batch).select_related("actor"):
        sheet.append([f"{event.at.astimezone():%Y-%m-%d %H:%M}  {labels[event.from_status]} → {labels[event.to_status]}  {event.actor or '系统'}"])
    sheet.append([])
    sheet.append(["经办人：", "", "", "审核人：", "", "", "批准人：", "", "", "发放日期："])
    for letter, width in zip("ABCDEFGHIJK", (6, 18, 24, 30, 10, 8, 8, 10, 12, 12, 14)):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
