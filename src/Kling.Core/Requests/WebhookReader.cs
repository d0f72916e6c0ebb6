namespace Kling.Core.Requests
{
    /// <summary>
    /// The row's webhook: a public https URL (<see cref="UrlRules.WebhookProblem"/>), sent as the body's top-level
    /// <c>webhook</c> on any model, without the trailing '/' (the gateway appends /callback); none given, nothing sent.
    /// </summary>
    internal static class WebhookReader
    {
        internal const string Field = "webhook";

        internal static void Read(RowContext row)
        {
            string? webhook = Cells.Given(row.Input.Webhook);
            if (webhook == null)
            {
                return;
            }

            string? problem = UrlRules.WebhookProblem(webhook);
            if (problem != null)
            {
                row.Add(Field, problem);
                return;
            }

            row.Request.Webhook = webhook.TrimEnd('/');
        }
    }
}
