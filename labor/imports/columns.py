"""The columns of each import kind: key, header (translated; Chinese by default), accepted header
spellings, and the example row of the downloadable template."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from ..choices import ImportKind


@dataclass(frozen=True)
class ImportColumn:
    key: str
    header: str
    required: bool = True
    aliases: tuple = field(default_factory=tuple)
    width: int = 16


ID = ImportColumn("id_number", _("ID number"), aliases=("身份证号", "身份证号码", "公民身份号码"), width=22)
WORKSHOP = ImportColumn("workshop", _("Workshop ID or name"), aliases=("车间", "车间编号", "车间名称"), width=20)

COLUMNS = {
    ImportKind.WORKERS: [
        ID,
        ImportColumn("name", _("Name"), aliases=("姓名",)),
        ImportColumn("phone", _("Phone"), required=False, aliases=("电话", "手机号", "联系电话")),
        ImportColumn("village", _("Village code"), aliases=("村代码", "村编码", "行政村代码"), width=18),
        ImportColumn("category", _("Category"), required=False, aliases=("人员类别", "类别")),
        ImportColumn("returnee", _("Returnee (yes/no)"), required=False, aliases=("返乡人员", "是否返乡")),
    ],
    ImportKind.PLACEMENTS: [
        ID,
        WORKSHOP,
        ImportColumn("start_date", _("Start date"), aliases=("入职日期", "开始日期")),
        ImportColumn("monthly_wage", _("Agreed monthly wage"), aliases=("约定月薪", "月工资")),
        ImportColumn("end_date", _("End date"), required=False, aliases=("离职日期", "结束日期")),
        ImportColumn("end_reason", _("End reason"), required=False, aliases=("离职原因",)),
    ],
    ImportKind.PAYROLL: [
        ID,
        WORKSHOP,
        ImportColumn("month", _("Month (YYYY-MM)"), aliases=("月份", "工资月份")),
        ImportColumn("days_worked", _("Days worked"), aliases=("出勤天数", "工作天数")),
        ImportColumn("wage_paid", _("Wage paid"), aliases=("实发工资", "工资")),
        ImportColumn("employer_social_insurance", _("Employer's social insurance"), required=False,
                     aliases=("单位缴纳社保", "单位社保")),
    ],
}


def header_index(kind: str, headers: list) -> tuple[dict, list]:
    """{key: column index} from the file's header row, and the required headers that are missing."""
    wanted = {}
    for column in COLUMNS[kind]:
        for spelling in (str(column.header), column.key, *column.aliases):
            wanted[spelling.strip().lower()] = column.key
    found = {}
    for index, header in enumerate(headers):
        key = wanted.get(str(header or "").strip().lower())
        if key and key not in found:
            found[key] = index
    missing = [str(c.header) for c in COLUMNS[kind] if c.required and c.key not in found]
    return found, missing


def column_header(kind: str, key: str) -> str:
    return next((str(c.header) for c in COLUMNS[kind] if c.key == key), key)
