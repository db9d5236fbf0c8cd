package io.mailroom.plugins.imap;

import jakarta.mail.MessagingException;
import org.eclipse.angus.mail.iap.Argument;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.BASE64MailboxEncoder;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * UID commands Angus Mail has no method for (it numbers messages by sequence), sent on a
 * folder's own connection. Untagged responses still reach Angus, so its view of the folder
 * (EXISTS, EXPUNGE, VANISHED) stays right; a NO or BAD answer throws.
 */
final class ImapCommands {

    private static final DateTimeFormatter SEARCH_DATE =
            DateTimeFormatter.ofPattern("d-MMM-yyyy", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private ImapCommands() {
    }

    /** Runs a command and returns every response, the tagged one last. */
    static Response[] run(IMAPFolder folder, String command, Argument args) throws MessagingException {
        return (Response[]) folder.doCommand(p -> {
            Response[] responses = p.command(command, args);
            p.notifyResponseHandlers(responses);
            p.handleResult(responses[responses.length - 1]);
            return responses;
        });
    }

    static Response[] run(IMAPFolder folder, String command) throws MessagingException {
        return run(folder, command, null);
    }

    /** {@code UID SEARCH <criteria>}: the matching UIDs, ascending. */
    static long[] search(IMAPFolder folder, String criteria) throws MessagingException {
        List<Long> uids = new ArrayList<>();
        for (Response response : run(folder, "UID SEARCH " + criteria)) {
            if (response instanceof IMAPResponse ir && ir.keyEquals("SEARCH")) {
                long uid;
                while ((uid = ir.readLong()) != -1) {
                    uids.add(uid);
                }
            }
        }
        long[] sorted = uids.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return sorted;
    }

    /** Which of these UIDs still name messages in the folder, ascending. */
    static long[] present(IMAPFolder folder, long[] ascending) throws MessagingException {
        List<Long> present = new ArrayList<>();
        for (String set : UidSet.of(ascending)) {
            for (long uid : search(folder, "UID " + set)) {
                present.add(uid);
            }
        }
        // keep only what was asked: a server may answer a range with more
        return present.stream().mapToLong(Long::longValue)
                .filter(uid -> Arrays.binarySearch(ascending, uid) >= 0).distinct().sorted().toArray();
    }

    /** {@code UID FETCH <set> (<items>)}: the FETCH responses. */
    static List<FetchResponse> fetch(IMAPFolder folder, String uidSet, String items) throws MessagingException {
        List<FetchResponse> fetched = new ArrayList<>();
        for (Response response : run(folder, "UID FETCH " + uidSet + " (" + items + ")")) {
            if (response instanceof FetchResponse fetch) {
                fetched.add(fetch);
            }
        }
        return fetched;
    }

    /** {@code UID <command> <set> <mailbox>} (COPY, MOVE), the mailbox name encoded as IMAP wants. */
    static void toMailbox(IMAPFolder folder, String command, String uidSet, String mailbox) throws MessagingException {
        Argument args = new Argument();
        args.writeAtom(uidSet);
        args.writeString(BASE64MailboxEncoder.encode(mailbox));
        run(folder, "UID " + command, args);
    }

    /** The SEARCH date for "received on or after this instant", a day early for time zones. */
    static String searchDate(Instant notBefore) {
        return SEARCH_DATE.format(notBefore.minusSeconds(86_400));
    }
}
