using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using IntegrationHub.Web.Features.Contacts;
using IntegrationHub.Web.Features.Credentials;
using IntegrationHub.Web.Infrastructure.Api;

namespace IntegrationHub.Web.Features.Kit;

public static class KitApi
{
    private const int MaxBodyBytes = 4 * 1024;

    /// <summary>Request for an identity-verification signature.</summary>
    /// <param name="Email">The signed-in user's email, exactly as the frontend will pass it to Crisp.</param>
    public sealed record SignatureRequest([property: Required, EmailAddress, StringLength(254)] string? Email);

    /// <summary>The signature to pass to <c>CrispKit.identify({ email, signature })</c>.</summary>
    /// <param name="Email">The email that was signed.</param>
    /// <param name="Signature">Lowercase hex HMAC-SHA256 of the email with the website's identity-verification secret.</param>
    public sealed record SignatureResponse(string Email, string Signature);

    public static RouteGroupBuilder MapKitApi(this RouteGroupBuilder api)
    {
        api.MapPost("/identity/signature", SignAsync)
            .WithName("CreateIdentitySignature")
            .WithTags("Identity verification")
            .WithSummary("Sign a user's email for Crisp identity verification")
            .WithDescription("Your backend calls this for the signed-in user and hands the signature to the frontend kit. "
                + "The website's secret stays in the hub (encrypted); it never reaches a browser. "
                + "409 when the website has not stored its identity-verification secret yet (Crisp plugin settings page).")
            .Accepts<SignatureRequest>("application/json")
            .Produces<SignatureResponse>()
            .WithStandardErrors(withBody: true, conflict: true);
        return api;
    }

    // Read like every other API body (strict JSON, 413/415/400 problems), validated like every other email (422).
    private static async Task<IResult> SignAsync(HttpContext http, TenantSecrets secrets, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonRequestReader.ReadAsync(http.Request, MaxBodyBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        string email;
        using (body)
        {
            var root = body!.Root;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return ApiProblems.Validation(new Dictionary<string, string[]> { ["$"] = [$"The body is a JSON object {{\"email\": ...}}, not {FieldErrors.Describe(root.ValueKind)}."] });
            }

            var errors = new FieldErrors();
            // Like every other body: a field the hub does not read (a website_id, a secret) is refused, never ignored,
            // so a backend that thinks it chose what is signed is told it did not.
            errors.RejectUnknown(root, string.Empty, "email");
            if (errors.TryOptionalString(root, "email", string.Empty, CrispDataRules.EmailMaxLength, out var given)
                && CrispDataRules.NormalizeEmail(given, out var why) is null)
            {
                errors.Add("email", why!);
            }

            if (errors.Any)
            {
                return ApiProblems.Validation(errors.ToDictionary());
            }

            // Signed as given: Crisp checks the signature against the email the frontend passes, case included.
            email = given!.Trim();
        }

        var secret = await secrets.GetAsync(SecretNames.IdentityVerificationSecret, cancellationToken);
        if (secret is null)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Identity verification is not set up",
                detail: "Store this website's Crisp identity-verification secret in the plugin settings page first.",
                type: "https://integrationhub.dev/problems/identity-secret-missing");
        }

        return TypedResults.Ok(new SignatureResponse(email, IdentitySignature.Compute(secret, email)));
    }
}
