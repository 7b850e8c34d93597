package org.hedgerow.coordinator.store;

import java.util.List;
import java.util.Map;
import org.hedgerow.privacy.budget.Spend;

/**
 * A federation as its store last saw it, from which a restarted coordinator continues.
 *
 * @param phase {@code WAITING_FOR_CLIENTS}, {@code TRAINING} or {@code FINISHED}
 * @param round the open (or last) round; 0 before the first
 * @param roundOpenedAtMillis when the open round opened (0 if none)
 * @param modelVersion the latest model's version
 * @param model the latest model
 * @param strategyState the strategy's state saved with that model
 * @param finishReason why the federation finished, or null
 * @param participants joined clients, by join time
 * @param bearerTokenHashes SHA-256 (hex) of each participant's bearer token, by client id, where it has one
 * @param openRoundUpdates the open round's accepted updates, by position; their bodies (null here) are read
 *     through {@code bodies}
 * @param uploadIds every accepted upload's id and hash, by round then client id (bodies of closed rounds are gone)
 * @param declines clients that declined
 * @param ledger every recorded spend (silos' signed ones and the coordinator's own), in ledger order
 * @param coordinatorSpends the coordinator's own spends among them (central DP), in order
 * @param history records of the rounds that produced a model, by round
 * @param abortedRounds rounds that ended without a model change
 * @param bodies reads the open round's update bodies back
 */
public record StoredState(String phase, int round, long roundOpenedAtMillis, int modelVersion, float[] model,
    byte[] strategyState, String finishReason, List<StoredParticipant> participants,
    Map<String, String> bearerTokenHashes, List<StoredUpdate> openRoundUpdates,
    Map<Integer, Map<String, UploadKey>> uploadIds, List<StoredDecline> declines, List<StoredSpend> ledger,
    List<Spend> coordinatorSpends, List<RoundRecord> history, int abortedRounds, UpdateBodies bodies) {}
