using IntegrationHub.Crisp;

namespace IntegrationHub.Web.Features.Helpdesk;

/// <summary>
/// Crisp answered 404 to the website's locale list: the website has no Knowledge Base (or Crisp no such website).
/// Told apart from Crisp being unavailable because retrying changes nothing — the admin has to create the helpdesk
/// in Crisp first.
/// </summary>
public sealed class HelpdeskMissingException(CrispApiException inner)
    : CrispException($"Crisp has no Knowledge Base for this website ({inner.Reason}): create the helpdesk in Crisp's Knowledge Base first.", inner)
{
    public string Reason => inner.Reason;
}
