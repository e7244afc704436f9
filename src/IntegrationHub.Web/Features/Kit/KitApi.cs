using System.ComponentModel.DataAnnotations;
using IntegrationHub.Web.Features.Credentials;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace IntegrationHub.Web.Features.Kit;

public static class KitApi
{
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
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private static async Task<Results<Ok<SignatureResponse>, ValidationProblem, ProblemHttpResult>> SignAsync(
        [FromBody] SignatureRequest? request, TenantSecrets secrets, CancellationToken cancellationToken)
    {
        var email = request?.Email?.Trim();
        if (string.IsNullOrEmpty(email) || email.Length > 254 || !new EmailAddressAttribute().IsValid(email))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["email"] = ["A valid email address (at most 254 characters) is required."],
            });
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
