"""Pages of what goes on paper from a run: its public notices (公示), payment sheets (发放表) and Excel
report. Printable pages render in the request; every Excel file (`?format=xlsx` on a paper, the
report's button) is a Download built by a worker on core's one export path and listed in 我的下载."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import exports
from core.errors import REFUSALS, add_page_message, message_text
from core.pages import XLSX_TYPE, requires
from core.queue import BackgroundUnavailable

from . import notices, selectors
from .choices import ReportStatus
from .forms import NoticePostForm
from .services import reports
from .services.notices import notice_post as notice_post_service
from .views import VIEW, _form_refusal


def _htmx_redirect(request, response):
    """A redirect that an htmx form follows with the whole page (not swapped into its target)."""
    if request.headers.get("HX-Request") and response.status_code in (301, 302):
        located = HttpResponse(status=204)
        located["HX-Redirect"] = response["Location"]
        return located
    return response


@requires("subsidies.notice.view")
def notice_print(request, pk, township):
    """The printable notice of a township (or `?village=` of it): the run's payable lines there, ID
    numbers masked; `?start=` picks the first day of the five-working-day period, `?format=xlsx` starts
    the same as an Excel download."""
    user = request.user
    run = notices.noticeable_run(user=user, pk=pk, statuses=notices.NOTICE_STATUSES)
    place = notices.township_for(user=user, code=township)
    form, data = notices.notice_form_data(request.GET)
    choice = notices.notice_choice(run=run, township=place, data=data)
    if request.GET.get("format") == "xlsx":
        query = {key: request.GET.get(key) for key in ("start", "village", "office", "phone")}
        return exports.start_paper(request, name=notices.NOTICE_PAGE, kwargs={"pk": run.pk, "township": place.code},
                                   title=notices.notice_title(run, place, choice.village), query=query)
    rows = notices.notice_rows(run=run, user=user, township=place, village=choice.village)
    return render(request, "subsidies/notice_print.html", {
        "run": run, "township": place, "village": choice.village, "rows": rows, "start": choice.start,
        "end": choice.end, "office": choice.office, "phone": choice.phone, "posted": choice.posted, "form": form,
        "villages": list(place.villages.order_by("code")),
        "total": sum((r.amount for r in rows), notices.ZERO), "working_days": notices.NOTICE_WORKING_DAYS,
    })


@requires("subsidies.notice.post")
@require_POST
def notice_post(request, pk):
    run = selectors.run_get(user=request.user, pk=pk)
    form = NoticePostForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_refusal(form))
        return redirect("subsidy-run-detail", pk=pk)
    data = form.cleaned_data
    place = notices.township_for(user=request.user, code=data["township"])
    village = notices.village_for(township=place, pk=data["village"]) if data.get("village") else None
    try:
        notice = notice_post_service(actor=request.user, run=run, township=place, village=village,
                                     posted_on=data["posted_on"], office=data["office"], phone=data["phone"])
        messages.success(request, _("The notice of %(place)s is recorded as posted; its period ends on %(date)s.")
                         % {"place": place.name, "date": f"{notice.ends_on:%Y-%m-%d}"})
    except REFUSALS as exc:
        add_page_message(request, exc)
    return redirect("subsidy-run-detail", pk=pk)


@requires("subsidies.sheet.view")
def payment_sheets(request, pk, township):
    """The township's payment sheets of an approved run: one per workshop (each worker's amounts,
    total, signature and date columns), then the township's summary; `?format=xlsx` starts the same as
    an Excel download."""
    run = notices.noticeable_run(user=request.user, pk=pk, statuses=notices.SHEET_STATUSES)
    place = notices.township_for(user=request.user, code=township)
    if request.GET.get("format") == "xlsx":
        return exports.start_paper(request, name=notices.SHEETS_PAGE, kwargs={"pk": run.pk, "township": place.code},
                                   title=notices.sheets_title(run, place))
    sheets = notices.payment_sheets(run=run, user=request.user, township=place)
    columns = notices.sheet_components(sheets)
    grand = [sum((s.total_of(c) for s in sheets), notices.ZERO) for c in columns]
    return render(request, "subsidies/payment_sheets.html", {
        "run": run, "township": place, "sheets": sheets, "labels": notices.component_labels(columns),
        "grand": grand, "grand_total": sum(grand, notices.ZERO), "workers": notices.people(sheets),
    })


@requires("subsidies.report.request")
@require_POST
def report_request(request, pk):
    """The run's Excel report: a Download for the user (what they may see of the run), built by a
    worker; the user goes to its page (progress), and the file stays in 我的下载."""
    run = selectors.run_get(user=request.user, pk=pk)
    try:
        download = reports.report_start(actor=request.user, run=run)
    except BackgroundUnavailable as exc:
        messages.error(request, exc.message)
        return _htmx_redirect(request, redirect("core-download-detail", pk=exc.download.pk))
    except REFUSALS as exc:
        if request.headers.get("HX-Request"):
            return render(request, "subsidies/report_status.html", {"run": run, "error": message_text(exc)})
        add_page_message(request, exc)
        return redirect("subsidy-run-detail", pk=pk)
    messages.info(request, _("The Excel file is being prepared; it will appear in My downloads."))
    return _htmx_redirect(request, redirect("core-download-detail", pk=download.pk))


@requires(VIEW)
def report_status(request, pk):
    """A report made before reports became downloads: its status, as before."""
    report = selectors.report_get(user=request.user, pk=pk)
    return render(request, "subsidies/report_status.html", {"run": report.run, "report": report})


@requires(VIEW)
def report_download(request, pk):
    """The file of a report made before reports became downloads."""
    report = selectors.report_get(user=request.user, pk=pk)
    if report.status != ReportStatus.DONE or not report.file:
        raise Http404
    return FileResponse(report.file.open("rb"), as_attachment=True, content_type=XLSX_TYPE,
                        filename=f"subsidy-{report.run.month:%Y-%m}-{report.run_id}.xlsx")
