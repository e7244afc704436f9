using System.Net;
using System.Text.RegularExpressions;

namespace IntegrationHub.Web.Tests.Infrastructure;

/// <summary>Drives the server-rendered dashboard the way a browser without JavaScript would.</summary>
public static partial class Browser
{
    public static async Task<string> AntiforgeryTokenAsync(HttpClient client, string pageUrl)
    {
        var html = await client.GetStringAsync(pageUrl);
        var match = TokenPattern().Match(html);
        Assert.True(match.Success, $"No antiforgery token on {pageUrl}.");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    public static async Task<HttpResponseMessage> SubmitAsync(HttpClient client, string formPageUrl, string action, IDictionary<string, string> fields)
    {
        var token = await AntiforgeryTokenAsync(client, formPageUrl);
        var body = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token };
        return await client.PostAsync(action, new FormUrlEncodedContent(body));
    }

    public static async Task SignInAsync(HttpClient client, string email, string password = TestData.Password)
    {
        var response = await SubmitAsync(client, "/account/login", "/account/login", new Dictionary<string, string>
        {
            ["Email"] = email,
            ["Password"] = password,
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
