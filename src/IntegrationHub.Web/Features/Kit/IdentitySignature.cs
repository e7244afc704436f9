using System.Security.Cryptography;
using System.Text;

namespace IntegrationHub.Web.Features.Kit;

/// <summary>Crisp identity verification: lowercase hex HMAC-SHA256 of the user's email, keyed with the website's secret.</summary>
public static class IdentitySignature
{
    public static string Compute(string secret, string email) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(email)));
}
