// The words of the nine purposes' call scripts in Hindi, in Devanagari as a Hindi voice reads it (the brand too:
// मंगवाले), with the English scripts' placeholders. Gender-neutral ("यह … से कॉल है"), since the voice may be
// either; the everyday words a delivery app's callers use (ऑर्डर, आइटम, कोड), not the formal Sanskrit ones.
import type { CallPurpose } from "../CallPurpose.js"
import type { ScriptWords } from "../CallScripts.js"

export const hindiScripts: { readonly [P in CallPurpose]: ScriptWords } = {
  order_confirmation: {
    greeting: "नमस्ते, यह मंगवाले से आपके ऑर्डर की पुष्टि के लिए कॉल है।",
    script: "आपका ऑर्डर नंबर {orderId}, {itemCount} आइटम, कुल ₹{total}, सफलतापूर्वक दर्ज हो गया है।",
    closingScript: "मंगवाले से ऑर्डर करने के लिए धन्यवाद!",
  },
  delivery_update: {
    greeting: "नमस्ते, यह मंगवाले से आपकी डिलीवरी की जानकारी के लिए कॉल है।",
    script: "आपका ऑर्डर नंबर {orderId} रास्ते में है और {deliveryTime} तक आप तक पहुँच जाएगा।",
    closingScript: "मंगवाले चुनने के लिए धन्यवाद!",
  },
  payment_reminder: {
    greeting: "नमस्ते, यह मंगवाले से एक बाकी भुगतान के बारे में कॉल है।",
    script: "ऑर्डर नंबर {orderId} के ₹{amount} का भुगतान {dueDate} तक करना है।",
    closingScript: "अगर आप भुगतान कर चुके हैं, तो कृपया इस कॉल को अनदेखा करें। धन्यवाद!",
  },
  promotional_offer: {
    greeting: "मंगवाले की ओर से नमस्ते!",
    script: "आपके लिए एक खास ऑफ़र है: {offer}। अपने अगले ऑर्डर पर कोड {code} इस्तेमाल करें।",
    closingScript: "मंगवाले के साथ ऑर्डर करते रहिए!",
  },
  feedback_request: {
    greeting: "नमस्ते, यह मंगवाले से आपके पिछले ऑर्डर के बारे में कॉल है।",
    script: "आपका ऑर्डर नंबर {orderId} कैसा रहा? कृपया कीपैड पर एक से पाँच के बीच रेटिंग दें।",
    closingScript: "आपकी राय के लिए धन्यवाद!",
  },
  support_callback: {
    greeting: "नमस्ते, यह मंगवाले ग्राहक सेवा से आपकी कॉल के जवाब में कॉल है।",
    script: "हम आपके अनुरोध नंबर {ticketId} के बारे में बात कर रहे हैं। हमारे सहयोगी अभी आपकी मदद करेंगे।",
    closingScript: "मंगवाले ग्राहक सेवा से संपर्क करने के लिए धन्यवाद।",
  },
  otp_verification: {
    greeting: "नमस्ते, यह मंगवाले से कॉल है।",
    script: "आपका सत्यापन कोड {otp} है। दोबारा सुनिए, आपका सत्यापन कोड {otp} है।",
    closingScript: "यह कोड किसी को न बताएँ। धन्यवाद।",
  },
  abandoned_cart: {
    greeting: "मंगवाले की ओर से नमस्ते!",
    script: "आपके कार्ट में ₹{total} के {itemCount} आइटम रह गए हैं। अभी अपना ऑर्डर पूरा करें और पाएँ {offer}।",
    closingScript: "मंगवाले के साथ ऑर्डर करते रहिए!",
  },
  custom: {
    greeting: "नमस्ते, यह मंगवाले से कॉल है।",
    script: "{message}",
    closingScript: "धन्यवाद!",
  },
}
