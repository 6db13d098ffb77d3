package com.ott.rules.geo;

import com.ott.contract.EventType;
import com.ott.rules.engine.Finding;
import com.ott.rules.engine.Rule;
import com.ott.rules.engine.RuleConfig;
import com.ott.rules.engine.RuleContext;
import com.ott.rules.engine.RuleEvent;
import com.ott.rules.engine.Subject;
import com.ott.rules.reference.Account;
import com.ott.rules.reference.Countries;
import com.ott.rules.reference.Title;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * geo_restriction: playback started in a country outside the title's licensed territories,
 * except an EU/EEA resident playing in another EU/EEA country (Regulation (EU) 2017/1128),
 * which by its art. 3 covers what the service offers in the country of residence.
 */
public final class GeoRestrictionRule implements Rule {
  public static final String ID = "geo_restriction";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public boolean handles(EventType type) {
    return type == EventType.PLAYBACK_START;
  }

  @Override
  public void evaluate(RuleEvent e, RuleContext ctx, List<Finding> out) {
    Title title = ctx.reference().title(e.content());
    String country = e.country();
    if (title == null || country == null || title.licensedIn(country)) {
      return;
    }
    RuleConfig cfg = ctx.config(ID);
    Account account = ctx.reference().account(e.account());
    String residence = account == null ? null : account.residence();
    if (cfg.flag("euPortability") && Countries.isEuEea(residence) && Countries.isEuEea(country)
        && !country.equals(residence)
        && (!cfg.flag("portabilityRequiresHomeLicense") || title.licensedIn(residence))) {
      return;
    }
    Subject subject = Subject.accountContent(e.account(), e.content());
    JsonObject evidence = new JsonObject().put("country", country).put("contentId", e.content());
    if (residence != null) {
      evidence.put("residence", residence);
    }
    out.add(ctx.finding(ID, cfg.severity(), subject, e.eventId(), e.time(), ctx.window(ID, e.time()), evidence,
        "Title '" + title.title() + "' was played in " + country + ", where it is not licensed."));
  }
}
