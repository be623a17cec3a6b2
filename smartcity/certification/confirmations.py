"""What each irreversible certification step will do, for its confirmation
page (``core.confirm``): the sentences, the facts of the application it acts
on, and the page itself. The views ask for it before they call a service."""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from smartcity.certification.messages import action_label
from smartcity.certification.models import Application, Attachment, Call
from smartcity.core.confirm import confirmation_page


def workflow_consequences(action: str) -> list[str]:
    """What a workflow step (``domain.workflow.Action`` value) will do, in sentences."""
    sentences = {
        "withdraw": [
            _("신청이 철회되어 이 공모의 심사에서 빠집니다."),
            _("철회한 신청서는 다시 진행할 수 없습니다."),
        ],
        "exclude": [
            _("신청서를 평가 대상에서 제외하고, 신청 기관에 사유를 알립니다."),
            _("제외한 신청서는 평가하지 않습니다."),
        ],
        "start_review": [
            _("서면평가를 시작하고 배정된 평가위원에게 알립니다."),
            _("신청 기관은 더 이상 신청서를 고칠 수 없습니다."),
        ],
        "report": [
            _("확정된 합의 점수와 현장실사 결과를 국토교통부에 보고합니다."),
            _("보고한 뒤에는 합의 점수를 고칠 수 없고, 국토교통부가 승인하거나 되돌립니다."),
        ],
        "return": [
            _("결과를 운영기관에 되돌려 재검토하게 하고, 운영기관에 사유를 알립니다."),
        ],
        "approve": [
            _("보고된 평가 결과를 승인합니다. 승인한 결과는 발표를 기다립니다."),
        ],
        "request_supplement": [
            _("신청 기관에 소명·보완을 요청하고 알림을 보냅니다."),
            _("기한까지 신청 기관이 지표와 서류를 고칠 수 있고, 답하면 새 제출본이 고정됩니다."),
        ],
        "answer_supplement": [
            _("지금의 지표 값과 근거, 서류를 새 제출본으로 고정해 운영기관에 제출합니다."),
            _("제출한 뒤에는 운영기관이 다시 요청하지 않는 한 신청서를 고칠 수 없습니다."),
        ],
        "announce": [
            _("결과를 발표하고 신청 기관에 알립니다."),
            _("인증이면 인증서가 발급되어 공개 인증 현황에 실립니다."),
        ],
        "start_inspection": [
            _("현장실사를 시작하고, 현장 확인 대상 지표로 확인 목록을 만듭니다."),
            _("시작한 뒤에는 서면평가 단계로 돌아갈 수 없습니다."),
        ],
    }
    return sentences.get(action, [])


def application_facts(application: Application) -> list[tuple[str, str]]:
    """The application a step acts on, as the confirmation page shows it."""
    return [
        (_("신청서"), application.title),
        (_("신청 기관"), str(application.organisation or "")),
        (_("현재 상태"), str(application.get_status_display())),
    ]


def confirm_step(
    request: HttpRequest,
    application: Application,
    action: str,
    *,
    back_url: str,
    extra_facts: Sequence[tuple[str, str]] = (),
) -> HttpResponse:
    """The confirmation page of one workflow step on one application."""
    label = action_label(action)
    return confirmation_page(
        request,
        title=_("%(action)s 확인") % {"action": label},
        consequences=workflow_consequences(action),
        facts=[*application_facts(application), *extra_facts],
        back_url=back_url,
        button=_("%(action)s 확정") % {"action": label},
    )


def confirm_announce_call(
    request: HttpRequest, call: Call, titles: Sequence[str], *, back_url: str
) -> HttpResponse:
    """The confirmation page of announcing every approved result of a call."""
    return confirmation_page(
        request,
        title=_("공모 결과 일괄 발표 확인"),
        consequences=[
            _("이 공모의 승인된 결과 %(count)s건을 모두 발표하고 신청 기관마다 알립니다.")
            % {"count": len(titles)},
            _("인증된 결과마다 인증서가 발급되어 공개 인증 현황에 실립니다."),
        ],
        facts=[(_("공모"), call.title_ko), (_("발표할 결과"), "\n".join(titles) or "—")],
        back_url=back_url,
        button=_("모두 발표 확정"),
    )


def confirm_document_withdrawal(
    request: HttpRequest, application: Application, attachment: Attachment, *, back_url: str
) -> HttpResponse:
    """The confirmation page of withdrawing an uploaded document."""
    return confirmation_page(
        request,
        title=_("서류 철회 확인"),
        consequences=[
            _("서류 %(name)s을(를) 이 신청서에서 철회합니다. 철회한 파일은 다시 쓸 수 없습니다.")
            % {"name": attachment.original_name},
            _("필수 서류라면 제출하기 전에 새로 올려야 합니다."),
        ],
        facts=[
            *application_facts(application),
            (_("서류"), attachment.original_name),
            (_("서류 종류"), str(attachment.get_kind_display())),
        ],
        back_url=back_url,
        button=_("서류 철회 확정"),
    )
