using Microsoft.AspNetCore.Http;
using static Kling.Emulator.Responses;

namespace Kling.Emulator;

/// <summary>
/// GET /v1/balance (the key's) and GET /v1/user/balance (the whole account's), as MODELS.md describes them:
/// {"success":true,"remain_balance":N,"used_balance":N,"unlimited_quota":bool}. One submission costs one unit:
/// the key's remain_balance is the <c>balance</c> option (submissions left before 402; -1 = unlimited, sent as -1
/// with unlimited_quota true), its used_balance the submissions billed since the start or the last reset. The account's
/// remain_balance is <c>accountBalance</c> (-1 = unlimited), its used_balance the same count. A fault of kind
/// "unsuccessful" on route "balance" answers HTTP 200 with success:false and the fault's message. The answers add
/// remain_credits (remain_balance × 10, -1 when unlimited) and used_credits (the credits charged on finished tasks)
/// unless the option balanceCredits is false, and a "currency" field when the option balanceCurrency names one. The
/// balance stays counted in submissions (a task's USD cost does not come off it: the 402 tests count submissions).
/// </summary>
internal sealed class BalanceRoute
{
    private readonly EmulatorState state;

    public BalanceRoute(EmulatorState state) => this.state = state;

    public Task KeyAsync(HttpContext context) => AnswerAsync(context, account: false);

    public Task AccountAsync(HttpContext context) => AnswerAsync(context, account: true);

    private async Task AnswerAsync(HttpContext context, bool account)
    {
        Fault? fault = state.TakeFault("balance");
        if (fault != null)
        {
            await FaultInjector.ApplyFaultAsync(context, fault);
            return;
        }

        EmulatorOptions now = state.Snapshot();
        double remain = account ? now.AccountBalance : now.Balance;
        var answer = new System.Text.Json.Nodes.JsonObject
        {
            ["success"] = true,
            ["remain_balance"] = remain < 0 ? -1 : remain,
            ["used_balance"] = state.Spent,
            ["unlimited_quota"] = remain < 0,
        };
        if (now.BalanceCredits)
        {
            answer["remain_credits"] = remain < 0 ? -1 : remain * Models.PriceTable.CreditsPerUsd;
            answer["used_credits"] = Math.Round(state.CreditsCharged(), 4);
        }

        if (!string.IsNullOrEmpty(now.BalanceCurrency))
        {
            answer["currency"] = now.BalanceCurrency;
        }

        await WriteJsonAsync(context, answer);
    }
}
